import type { z } from 'zod';
import type { AuditEntry, AuditRecord } from '../audit/index.js';
import type { Result, Role } from '../domain/index.js';
import { type RawArgs, type Syntax, bindArgs, problemsOf, tokenize } from './args.js';
import type { TradingServices } from './services.js';

/** A button that looks at a pending confirmation without settling it. */
export type LookAction = 'try' | 'chart';

/** One button under a reply; transports without buttons tell the owner to type the action instead. */
export interface ReplyButton {
  readonly label: string;
  /**
   * `try`: the pending confirmation's what-if (Confirmation.tryOut); `chart`: its picture (Confirmation.chartOut). Both
   * leave it pending.
   */
  readonly action: 'confirm' | 'cancel' | LookAction;
}

/**
 * A picture with a reply (a chart): PNG bytes, the caption under it (Telegram shows at most 1,024 characters; a longer
 * one goes as a message of its own before the picture), and the file name it is uploaded or saved under.
 */
export interface ReplyPhoto {
  readonly png: Uint8Array;
  readonly caption: string;
  readonly filename: string;
}

/**
 * Work that goes on after its reply was sent (a backtest): the reply's text is its first progress line. The transport
 * shows each newer line in place of it (Telegram edits the message; the console prints it as a line of its own) and
 * sends `done`'s reply as a message of its own when the work ends. The chat is not held meanwhile.
 */
export interface ReplyFollowUp {
  /** Hears each newer progress line (one listener: the transport that sent the reply). */
  onProgress(listener: (text: string) => void): void;
  /** The final answer, or undefined when there is nothing more to say (the owner cancelled and was told); never rejects. */
  readonly done: Promise<Reply | undefined>;
}

/** What the bot answers: plain text any transport can show, plus optional confirm/cancel buttons and a picture. */
export interface Reply {
  readonly text: string;
  /** Set when the answer goes on after this text: see ReplyFollowUp. */
  readonly followUp?: ReplyFollowUp;
  /** Sent after the text (a blank text sends the picture alone); the buttons stay on the text. */
  readonly photo?: ReplyPhoto;
  readonly buttons?: readonly ReplyButton[];
  /** The pending confirmation the buttons act on, for transports whose buttons name it (Telegram's callback data). */
  readonly confirmationId?: string;
  /** Sent ahead of every routine message waiting for the chat: the kill switch's acknowledgement, confirmations. */
  readonly urgent?: boolean;
}

export const CONFIRM_BUTTONS: readonly ReplyButton[] = [
  { label: 'Confirm', action: 'confirm' },
  { label: 'Cancel', action: 'cancel' },
];

/** Where the chat writes its audit entries and reads the trail back (audit/AuditTrail in the app). */
export interface ChatAudit {
  record(entry: AuditEntry): void;
  recent(count: number): Promise<Result<readonly AuditRecord[]>>;
}

/** What a handler may use: the bot's services, who is asking, the injected time, and the other commands (for /help). */
export interface CommandContext {
  readonly chatId: string;
  readonly services: TradingServices;
  readonly audit: ChatAudit;
  readonly now: () => number;
  readonly commands: readonly AnyCommand[];
  /** How long a confirmation stays valid, for texts that mention it. */
  readonly confirmTtlMs: number;
}

/** The deferred half of a confirmable command, bound to exactly the data the owner was shown. */
export interface Confirmation {
  run(): Promise<Reply>;
  /** What the action would have done, changing nothing (a /grid preview's "Try it on history"); the action stays pending. */
  tryOut?(): Promise<Reply>;
  /** What the action would look like, drawn (a /grid preview's "Chart": the proposed ladder over the last 24 h). */
  chartOut?(): Promise<Reply>;
}

/**
 * A chat command: the role it needs, its help texts, how its words bind to names (`syntax`) and parse (`args`, zod), the use case
 * (`handler`), how its result reads (`render`), and for commands that change things, the action a confirm runs.
 */
export interface Command<A, D> {
  readonly name: string;
  /** The least role that may use it: `viewer` reads, `trader` runs grids and the kill switch, `owner` changes settings. */
  readonly role: Role;
  readonly summary: string;
  readonly usage: string;
  readonly example: string;
  readonly syntax?: Syntax;
  readonly args: z.ZodType<A, RawArgs>;
  handler(args: A, ctx: CommandContext): Promise<Result<D>>;
  render(data: D, ctx: CommandContext): Reply;
  /** Undefined for a result that needs no confirmation (`/kill now` already acted): nothing is left pending. */
  confirm?(data: D, ctx: CommandContext): Confirmation | undefined;
}

// Commands differ in argument and data types; the registry only passes each command's own values back to it.
export type AnyCommand = Command<any, any>;

/** Keeps a command's argument and data types tied together at the definition site. */
export function defineCommand<A, D>(command: Command<A, D>): Command<A, D> {
  return command;
}

export type Parsed =
  | { readonly kind: 'not_a_command' }
  | { readonly kind: 'unknown'; readonly name: string; readonly reply: Reply }
  | { readonly kind: 'invalid'; readonly command: AnyCommand; readonly reply: Reply }
  | { readonly kind: 'ok'; readonly command: AnyCommand; readonly args: unknown };

const MAX_PROBLEMS_SHOWN = 5;
/**
 * Longest problem line: the explanation with whatever of the owner's text it quotes. Five of them stay one message
 * (4,096 characters) however long the text was.
 */
const MAX_PROBLEM_LINE = 400;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The answer to a wrong argument: what was wrong, then the usage line and an example. */
function usageReply(command: AnyCommand, problems: readonly string[]): Reply {
  // One line per distinct problem, a few at most: a 4,096-character message of stray words once answered in 31 parts.
  const distinct = [...new Set(problems)];
  const lines = distinct.slice(0, MAX_PROBLEMS_SHOWN).map((p) => `✗ ${clip(p, MAX_PROBLEM_LINE)}`);
  if (distinct.length > MAX_PROBLEMS_SHOWN) lines.push(`✗ … and ${distinct.length - MAX_PROBLEMS_SHOWN} more problems`);
  return { text: [...lines, `Usage: ${command.usage}`, `Example: ${command.example}`].join('\n') };
}

/** Levenshtein distance, for "did you mean" on a mistyped command. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** The commands by name, and the one place chat text becomes a command with typed arguments. */
export class CommandRegistry {
  private readonly byName = new Map<string, AnyCommand>();

  constructor(readonly commands: readonly AnyCommand[]) {
    for (const c of commands) {
      if (this.byName.has(c.name)) throw new Error(`duplicate chat command /${c.name}`);
      this.byName.set(c.name, c);
    }
  }

  find(name: string): AnyCommand | undefined {
    return this.byName.get(name.replace(/^\//, '').toLowerCase());
  }

  parse(text: string): Parsed {
    const call = tokenize(text);
    if (!call) return { kind: 'not_a_command' };
    const command = this.byName.get(call.name);
    if (!command) return { kind: 'unknown', name: call.name, reply: this.unknownReply(call.name) };
    const bound = bindArgs(`/${command.name}`, call.tokens, command.syntax);
    if (!bound.ok) return { kind: 'invalid', command, reply: usageReply(command, bound.problems) };
    const parsed = command.args.safeParse(bound.raw);
    if (!parsed.success) return { kind: 'invalid', command, reply: usageReply(command, problemsOf(parsed.error)) };
    return { kind: 'ok', command, args: parsed.data };
  }

  private unknownReply(name: string): Reply {
    const near = this.commands.filter((c) => distance(c.name, name) <= 2).map((c) => `/${c.name}`);
    const hint = near.length > 0 ? ` Did you mean ${near.join(' or ')}?` : '';
    return { text: `✗ Unknown command /${clip(name, 40)}.${hint}\nSend /help to see every command.` };
  }
}
