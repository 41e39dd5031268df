import { type Role, ok, roleAllows } from '../domain/index.js';
import type { Clock } from '../engine/index.js';
import { builtinCommands } from './commands/index.js';
import {
  CANCEL_WORDS,
  CONFIRM_WORDS,
  Confirmations,
  DEFAULT_CONFIRM_TTL_MS,
  type Taken,
  cancelReply,
  nothingToConfirm,
} from './confirmations.js';
import {
  type AnyCommand,
  CONFIRM_BUTTONS,
  type ChatAudit,
  type CommandContext,
  CommandRegistry,
  type LookAction,
  type Reply,
} from './registry.js';
import type { TradingServices } from './services.js';

/**
 * The one entry every transport calls: a chat's text in, the reply out. `userId` names who wrote it where a chat has
 * several people (Telegram groups): a confirmation then waits for that person only.
 */
export interface ChatSession {
  handle(chatId: string, text: string, userId?: string): Promise<Reply>;
}

/** A button pressed on a confirmation preview: what happened, for the transport to show. */
export type Pressed =
  /** Confirmed: the action runs; `outcome` settles with its reply (it never rejects). */
  | { readonly kind: 'confirmed'; readonly command: string; readonly outcome: Promise<Reply> }
  | { readonly kind: 'cancelled'; readonly command: string; readonly reply: Reply }
  /** Nothing ran: used, cancelled, expired, replaced, someone else's, or unknown. `text` is short (≤ 200 chars). */
  | { readonly kind: 'refused'; readonly reason: Exclude<Taken['kind'], 'ready'>; readonly text: string };

export interface DispatcherOptions {
  readonly services: TradingServices;
  readonly clock: Clock;
  /** Defaults to the built-in commands. */
  readonly commands?: readonly AnyCommand[];
  readonly confirmTtlMs?: number;
  /** Makes confirmation ids (defaults to short random ones); tests may inject a deterministic source. */
  readonly confirmationIds?: () => string;
  /** Hears a command's exception (a bug) so the app can log it; the owner gets a short answer either way. */
  readonly onError?: (error: unknown, where: { readonly chatId: string; readonly text: string }) => void;
  /**
   * Telegram user id → role (TELEGRAM_ROLES). Unset: everyone the transport lets in is an owner. Set: a user it does
   * not name is a viewer. A caller with no user id (the console) is the owner either way.
   */
  readonly roles?: Readonly<Record<string, Role>>;
  /** Where every command, confirmation and refusal is written; by default nowhere (and /audit shows nothing). */
  readonly audit?: ChatAudit;
}

const NO_AUDIT: ChatAudit = { record: () => undefined, recent: async () => ok([]) };

/** Who is asking, for the role check and the audit. */
interface Who {
  readonly chatId: string;
  readonly userId?: string;
  readonly role: Role;
}

/** The first line of a reply, short: what the audit keeps of an answer. */
function summaryOf(reply: Reply): string {
  const line = reply.text.split('\n', 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** Use-case failures that are about what the owner typed rather than about the market or the bot's state. */
function isArgumentFailure(code: string): boolean {
  return code.startsWith('INVALID_') || code === 'LADDER_BELOW_ZERO' || code === 'EMPTY_GRID';
}

function withNote(reply: Reply, note: string | undefined): Reply {
  return note === undefined ? reply : { ...reply, text: `${reply.text}\n${note}` };
}

/**
 * Parses a message, runs the command's use case and renders its result, and keeps each chat's pending confirmation.
 * Any use of a command that asks for confirmation (even a mistyped one) first drops the chat's pending action, so a
 * "confirm" typed after a failed /grid can never start the earlier grid by surprise.
 */
export class Dispatcher implements ChatSession {
  readonly registry: CommandRegistry;
  private readonly confirmations: Confirmations;
  private readonly services: TradingServices;
  private readonly clock: Clock;
  private readonly onError: DispatcherOptions['onError'];
  private readonly roles: DispatcherOptions['roles'];
  private readonly audit: ChatAudit;

  constructor(options: DispatcherOptions) {
    this.services = options.services;
    this.clock = options.clock;
    this.onError = options.onError;
    this.roles = options.roles;
    this.audit = options.audit ?? NO_AUDIT;
    this.registry = new CommandRegistry(options.commands ?? builtinCommands(options.services));
    this.confirmations = new Confirmations(options.clock, options.confirmTtlMs ?? DEFAULT_CONFIRM_TTL_MS, options.confirmationIds);
  }

  async handle(chatId: string, text: string, userId?: string): Promise<Reply> {
    const trimmed = text.trim();
    if (trimmed === '') return { text: 'Send /help to see what I can do.' };
    const [first = '', ...rest] = trimmed.toLowerCase().split(/\s+/);
    const word = first.split('@')[0] ?? '';
    const asker = userId === undefined ? {} : { userId };
    const who = this.who(chatId, userId);
    // Cancelling is the safe direction, so `/cancel please` cancels; a confirm runs only when nothing else was said.
    if (CANCEL_WORDS.has(word) && (rest.length === 0 || word === '/cancel')) return this.cancelTyped(chatId, asker, who);
    if (CONFIRM_WORDS.has(word) && rest.length === 0) return this.confirm(chatId, trimmed, asker, who);
    if (word === '/confirm') return confirmTakesNothing(this.confirmations.pending(chatId, asker));

    const parsed = this.registry.parse(trimmed);
    switch (parsed.kind) {
      case 'not_a_command':
        return { text: `I only understand commands, like /grid BTCUSDT 10 0.5. Send /help to see them all.` };
      case 'unknown':
        return parsed.reply;
      case 'invalid': {
        if (!roleAllows(who.role, parsed.command.role)) return this.refuse(who, parsed.command, trimmed);
        const reply = withNote(parsed.reply, this.dropNote(chatId, parsed.command));
        this.auditInvalid(who, parsed.command, trimmed, reply);
        return reply;
      }
      case 'ok':
        if (!roleAllows(who.role, parsed.command.role)) return this.refuse(who, parsed.command, trimmed);
        this.audit.record({ kind: 'command', ...who, command: parsed.command.name, text: trimmed, args: parsed.args });
        return this.outcome(who, parsed.command.name, this.run(chatId, trimmed, parsed.command, parsed.args, userId));
    }
  }

  /** The command whose confirmation `asker` could take now in this chat (with `id`: that very confirmation), if any. */
  pendingCommand(chatId: string, asker: { readonly userId?: string; readonly id?: string } = {}): string | undefined {
    return this.confirmations.pending(chatId, asker);
  }

  /** The role of `userId` here: see DispatcherOptions.roles. */
  roleOf(userId: string | undefined): Role {
    if (userId === undefined || this.roles === undefined) return 'owner';
    return this.roles[userId] ?? 'viewer';
  }

  private who(chatId: string, userId: string | undefined): Who {
    return { chatId, ...(userId === undefined ? {} : { userId }), role: this.roleOf(userId) };
  }

  /** A command above the asker's role: nothing runs and nothing pending is touched; the answer names the role needed. */
  private refuse(who: Who, command: AnyCommand, text: string): Reply {
    this.audit.record({ kind: 'refused', ...who, command: command.name, need: command.role, text });
    return { text: `⛔ /${command.name} needs the ${command.role} role; you are a ${who.role} here. Nothing was done.` };
  }

  /** A command whose arguments did not parse: its entry (no arguments) and what the asker was told. */
  private auditInvalid(who: Who, command: AnyCommand, text: string, reply: Reply): void {
    this.audit.record({ kind: 'command', ...who, command: command.name, text, args: null });
    this.audit.record({ kind: 'outcome', ...who, command: command.name, ok: false, summary: summaryOf(reply) });
  }

  /** Writes how `reply` ended once it settles: ok unless it is a refusal (✗) or a failure. */
  private async outcome(who: Who, command: string, reply: Promise<Reply>): Promise<Reply> {
    const settled = await reply;
    this.audit.record({ kind: 'outcome', ...who, command, ok: !settled.text.startsWith('✗'), summary: summaryOf(settled) });
    return settled;
  }

  /**
   * A Confirm or Cancel button for the confirmation `confirmationId` of this chat, pressed by `userId`: it runs or
   * drops exactly that confirmation, the same way a typed confirm or cancel would, or refuses without running anything.
   */
  press(chatId: string, userId: string, confirmationId: string, action: 'confirm' | 'cancel'): Pressed {
    const asker = { userId, id: confirmationId };
    const who = this.who(chatId, userId);
    const taken = action === 'confirm' ? this.confirmations.take(chatId, asker) : this.confirmations.cancel(chatId, asker);
    if (taken.kind !== 'ready') {
      this.audit.record({ kind: 'confirmation', ...who, outcome: 'refused', via: 'button', ...commandOf(taken), reason: taken.kind });
      return { kind: 'refused', reason: taken.kind, text: refusalText(taken) };
    }
    const done = action === 'confirm' ? 'confirmed' : 'cancelled';
    this.audit.record({ kind: 'confirmation', ...who, outcome: done, via: 'button', command: taken.command });
    if (action === 'cancel') return { kind: 'cancelled', command: taken.command, reply: cancelReply(taken, this.confirmations.ttlMs) };
    const run = taken.action
      .run()
      .catch((error: unknown) => this.failed(error, chatId, `[${action} button]`, `the confirmed /${taken.command}`));
    return { kind: 'confirmed', command: taken.command, outcome: this.outcome(who, taken.command, run) };
  }

  /**
   * A "Try it on history" button on the confirmation `confirmationId` of this chat, pressed by `userId`: the action's
   * what-if runs (a backtest) and the confirmation stays pending, so the owner can still confirm or cancel it.
   */
  async tryOut(chatId: string, userId: string, confirmationId: string, look: LookAction = 'try'): Promise<Reply> {
    const who = this.who(chatId, userId);
    const pending = this.confirmations.peek(chatId, { userId, id: confirmationId });
    if (look === 'chart') {
      const chartOut = pending?.action.chartOut;
      if (pending === undefined || chartOut === undefined)
        return { text: '✗ This preview is no longer pending; send it again to chart it.' };
      // A picture of what was previewed changes nothing: whoever may see the preview may see it drawn.
      this.audit.record({ kind: 'command', ...who, command: 'chart', text: `[Chart: the pending /${pending.command}]`, args: null });
      const drawn = chartOut().catch((error: unknown) => this.failed(error, chatId, '[chart button]', `the chart of /${pending.command}`));
      return this.outcome(who, 'chart', drawn);
    }
    const tryOut = pending?.action.tryOut;
    if (pending === undefined || tryOut === undefined) return { text: '✗ This preview is no longer pending; send it again to try it.' };
    const { command } = pending;
    if (!roleAllows(who.role, 'trader')) return { text: `⛔ Trying a grid on history needs the trader role; you are a ${who.role} here.` };
    this.audit.record({ kind: 'command', ...who, command: 'backtest', text: `[Try it on history: the pending /${command}]`, args: null });
    const reply = tryOut().catch((error: unknown) => this.failed(error, chatId, '[try button]', `the try of /${command}`));
    return this.outcome(who, 'backtest', reply);
  }

  private context(chatId: string): CommandContext {
    return {
      chatId,
      services: this.services,
      now: () => this.clock.now(),
      commands: this.registry.commands,
      confirmTtlMs: this.confirmations.ttlMs,
      audit: this.audit,
    };
  }

  /** Drops the chat's pending action when `command` is confirmable; returns the dropped command's name. */
  private dropPending(chatId: string, command: AnyCommand): string | undefined {
    return command.confirm ? this.confirmations.drop(chatId) : undefined;
  }

  private dropNote(chatId: string, command: AnyCommand): string | undefined {
    const dropped = this.dropPending(chatId, command);
    return dropped === undefined ? undefined : `(The pending /${dropped} was dropped; nothing was done for it.)`;
  }

  private async run(chatId: string, text: string, command: AnyCommand, args: unknown, userId: string | undefined): Promise<Reply> {
    const dropped = this.dropPending(chatId, command);
    const ctx = this.context(chatId);
    try {
      const result = await command.handler(args, ctx);
      if (!result.ok) {
        // The arguments parsed but mean something impossible (a stop-loss above the price, …): show how to ask again.
        const help = isArgumentFailure(result.error.code) ? `\nUsage: ${command.usage}\nExample: ${command.example}` : '';
        return withNote(
          { text: `✗ ${result.error.message}${help}` },
          dropped && `(The pending /${dropped} was dropped; nothing was done for it.)`,
        );
      }
      const reply = command.render(result.value, ctx);
      const action = command.confirm?.(result.value, ctx);
      if (!action) return withNote(reply, dropped && `(The pending /${dropped} was dropped; nothing was done for it.)`);
      const { id } = this.confirmations.put(chatId, command.name, action, userId);
      return withNote(
        { ...reply, buttons: reply.buttons ?? CONFIRM_BUTTONS, confirmationId: id },
        dropped && `(This replaces the pending /${dropped}.)`,
      );
    } catch (error) {
      return this.failed(error, chatId, text, `/${command.name}`);
    }
  }

  private async confirm(chatId: string, text: string, asker: { readonly userId?: string }, who: Who): Promise<Reply> {
    const taken = this.confirmations.take(chatId, asker);
    if (taken.kind !== 'ready') {
      this.audit.record({ kind: 'confirmation', ...who, outcome: 'refused', via: 'typed', ...commandOf(taken), reason: taken.kind });
      return nothingToConfirm(taken, this.confirmations.ttlMs);
    }
    this.audit.record({ kind: 'confirmation', ...who, outcome: 'confirmed', via: 'typed', command: taken.command });
    const run = taken.action.run().catch((error: unknown) => this.failed(error, chatId, text, `the confirmed /${taken.command}`));
    return this.outcome(who, taken.command, run);
  }

  private cancelTyped(chatId: string, asker: { readonly userId?: string }, who: Who): Reply {
    const taken = this.confirmations.cancel(chatId, asker);
    const outcome = taken.kind === 'ready' ? 'cancelled' : 'refused';
    this.audit.record({
      kind: 'confirmation',
      ...who,
      outcome,
      via: 'typed',
      ...commandOf(taken),
      ...(taken.kind === 'ready' ? {} : { reason: taken.kind }),
    });
    return cancelReply(taken, this.confirmations.ttlMs);
  }

  private failed(error: unknown, chatId: string, text: string, what: string): Reply {
    this.onError?.(error, { chatId, text });
    // The exception's own text stays in the log: it may quote a URL or a request that carries a secret.
    return { text: `✗ Something went wrong running ${what}. It was logged. /status and /orders show where things stand.` };
  }
}

/** `/confirm` with words after it runs nothing: the words may name something other than what is pending. */
function confirmTakesNothing(pending: string | undefined): Reply {
  const what = pending === undefined ? 'Nothing is waiting for confirmation now.' : `Send /confirm alone to run the pending /${pending}.`;
  return { text: `✗ /confirm takes nothing after it; nothing was done. ${what}` };
}

/** The command a confirmation was for, when it is known. */
function commandOf(taken: Taken): { readonly command?: string } {
  return 'command' in taken ? { command: taken.command } : {};
}

/** A button's answer when nothing ran; Telegram shows at most 200 characters of it. */
function refusalText(taken: Exclude<Taken, { kind: 'ready' }>): string {
  switch (taken.kind) {
    case 'none':
      return 'This confirmation is no longer known; nothing was done.';
    case 'used':
      return `Already used; send /${taken.command} again to do it once more.`;
    case 'cancelled':
      return `Already cancelled; nothing was done for /${taken.command}.`;
    case 'expired':
      return `Expired; nothing was done. Send /${taken.command} again.`;
    case 'replaced':
      return `Replaced by a newer command; nothing was done for this /${taken.command}.`;
    case 'not_yours':
      return 'Not yours: only the person who asked can confirm or cancel this.';
  }
}
