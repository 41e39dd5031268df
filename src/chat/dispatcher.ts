import type { Clock } from '../engine/index.js';
import { builtinCommands } from './commands/index.js';
import { CANCEL_WORDS, CONFIRM_WORDS, Confirmations, DEFAULT_CONFIRM_TTL_MS, cancelReply, nothingToConfirm } from './confirmations.js';
import { type AnyCommand, CONFIRM_BUTTONS, type CommandContext, CommandRegistry, type Reply } from './registry.js';
import type { TradingServices } from './services.js';

/** The one entry every transport calls: a chat's text in, the reply out. */
export interface ChatSession {
  handle(chatId: string, text: string): Promise<Reply>;
}

export interface DispatcherOptions {
  readonly services: TradingServices;
  readonly clock: Clock;
  /** Defaults to the built-in commands. */
  readonly commands?: readonly AnyCommand[];
  readonly confirmTtlMs?: number;
  /** Hears a command's exception (a bug) so the app can log it; the owner gets a short answer either way. */
  readonly onError?: (error: unknown, where: { readonly chatId: string; readonly text: string }) => void;
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

  constructor(options: DispatcherOptions) {
    this.services = options.services;
    this.clock = options.clock;
    this.onError = options.onError;
    this.registry = new CommandRegistry(options.commands ?? builtinCommands(options.services));
    this.confirmations = new Confirmations(options.clock, options.confirmTtlMs ?? DEFAULT_CONFIRM_TTL_MS);
  }

  async handle(chatId: string, text: string): Promise<Reply> {
    const trimmed = text.trim();
    if (trimmed === '') return { text: 'Send /help to see what I can do.' };
    const word = (trimmed.toLowerCase().split('@')[0] ?? '').trim();
    if (CONFIRM_WORDS.has(word)) return this.confirm(chatId, trimmed);
    if (CANCEL_WORDS.has(word)) return cancelReply(this.confirmations.cancel(chatId), this.confirmations.ttlMs);

    const parsed = this.registry.parse(trimmed);
    switch (parsed.kind) {
      case 'not_a_command':
        return { text: `I only understand commands, like /grid BTCUSDT 10 0.5. Send /help to see them all.` };
      case 'unknown':
        return parsed.reply;
      case 'invalid':
        return withNote(parsed.reply, this.dropNote(chatId, parsed.command));
      case 'ok':
        return this.run(chatId, trimmed, parsed.command, parsed.args);
    }
  }

  private context(chatId: string): CommandContext {
    return {
      chatId,
      services: this.services,
      now: () => this.clock.now(),
      commands: this.registry.commands,
      confirmTtlMs: this.confirmations.ttlMs,
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

  private async run(chatId: string, text: string, command: AnyCommand, args: unknown): Promise<Reply> {
    const dropped = this.dropPending(chatId, command);
    const ctx = this.context(chatId);
    try {
      const result = await command.handler(args, ctx);
      if (!result.ok) {
        // The arguments parsed but mean something impossible (a stop-loss above the price, …): show how to ask again.
        const help = isArgumentFailure(result.error.code) ? `\nUsage: ${command.usage}\nExample: ${command.example}` : '';
        return withNote({ text: `✗ ${result.error.message}${help}` }, dropped && `(The pending /${dropped} was dropped; nothing was done for it.)`);
      }
      const reply = command.render(result.value, ctx);
      const action = command.confirm?.(result.value, ctx);
      if (!action) return withNote(reply, dropped && `(The pending /${dropped} was dropped; nothing was done for it.)`);
      this.confirmations.put(chatId, command.name, action);
      return withNote({ ...reply, buttons: reply.buttons ?? CONFIRM_BUTTONS }, dropped && `(This replaces the pending /${dropped}.)`);
    } catch (error) {
      return this.failed(error, chatId, text, `/${command.name}`);
    }
  }

  private async confirm(chatId: string, text: string): Promise<Reply> {
    const taken = this.confirmations.take(chatId);
    if (taken.kind !== 'ready') return nothingToConfirm(taken, this.confirmations.ttlMs);
    try {
      return await taken.action.run();
    } catch (error) {
      return this.failed(error, chatId, text, `the confirmed /${taken.command}`);
    }
  }

  private failed(error: unknown, chatId: string, text: string, what: string): Reply {
    this.onError?.(error, { chatId, text });
    // The exception's own text stays in the log: it may quote a URL or a request that carries a secret.
    return { text: `✗ Something went wrong running ${what}. It was logged. /status and /orders show where things stand.` };
  }
}
