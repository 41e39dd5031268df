import type { Role, TradingState } from '../domain/index.js';

/** Who acted, where: the chat, the Telegram user (absent on the console) and the role they had. */
interface Actor {
  readonly chatId: string;
  readonly userId?: string;
  readonly role: Role;
}

/** A command someone ran (its role allowed it): the text with secrets scrubbed and the arguments as parsed. */
interface CommandEntry extends Actor {
  readonly kind: 'command';
  readonly command: string;
  readonly text: string;
  readonly args: unknown;
}

/** How a command, or the action a confirmation ran, ended: ok or not, and the first line of its answer. */
interface OutcomeEntry extends Actor {
  readonly kind: 'outcome';
  readonly command: string;
  readonly ok: boolean;
  readonly summary: string;
}

/** A confirm or cancel, typed or pressed; `refused` when nothing ran (expired, someone else's, …) and why. */
interface ConfirmationEntry extends Actor {
  readonly kind: 'confirmation';
  readonly outcome: 'confirmed' | 'cancelled' | 'refused';
  readonly via: 'typed' | 'button';
  readonly command?: string;
  readonly reason?: string;
}

/** A command above the asker's role: refused, nothing changed. */
interface RoleRefusalEntry extends Actor {
  readonly kind: 'refused';
  readonly command: string;
  readonly need: Role;
  readonly text: string;
}

/** Someone not on the allowlist wrote or pressed a button; `repeats` counts the ones folded into this entry. */
interface StrangerEntry {
  readonly kind: 'stranger';
  readonly chatId: string;
  readonly userId?: string;
  readonly chatType: string;
  readonly update: string;
  readonly repeats: number;
}

/** An order action the bot took or learned the end of: sent, cancelled, rejected, expired, unknown, not placed. */
interface OrderEntry {
  readonly kind: 'order';
  readonly event: 'sent' | 'canceled' | 'rejected' | 'expired' | 'unknown' | 'not_placed';
  readonly clientOrderId: string;
  readonly symbol?: string;
  readonly side?: string;
  /** Sent orders: type, price and quantity as decimals, and who asked (a grid or manual). */
  readonly order?: { readonly type: string; readonly price?: string; readonly quantity: string; readonly owner: string };
  readonly reason?: string;
}

interface GridEntry {
  readonly kind: 'grid';
  readonly event: 'started' | 'stopped';
  readonly gridId: string;
  readonly symbol: string;
  readonly reason?: string;
  readonly orders?: number;
}

/** The trading state changed (a kill, the daily loss guard, a fault, /resume). */
interface StateEntry {
  readonly kind: 'state';
  readonly from: TradingState;
  readonly to: TradingState;
  readonly reason: string;
}

/** A component threw and was silenced; trading halts with it. */
interface FaultEntry {
  readonly kind: 'fault';
  readonly component: string;
  readonly messageType: string;
  readonly error: string;
}

/** One step of the audit trail, as it is written. */
export type AuditEntry =
  CommandEntry | OutcomeEntry | ConfirmationEntry | RoleRefusalEntry | StrangerEntry | OrderEntry | GridEntry | StateEntry | FaultEntry;

/** An entry as read back: the stream id (Redis time, ms-seq) and the bot's clock time it was recorded at (ISO). */
export type AuditRecord = AuditEntry & { readonly id: string; readonly at: string };

/** What a stranger refusal tells the audit (the Telegram transport's `onRefused`). */
export interface StrangerRefusal {
  readonly chatId: number | string;
  readonly userId?: number | string;
  readonly chatType: string;
  readonly kind: string;
}
