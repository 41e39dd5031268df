import { randomBytes } from 'node:crypto';
import type { Clock } from '../engine/index.js';
import type { Confirmation, Reply } from './registry.js';

export const CONFIRM_WORDS: ReadonlySet<string> = new Set(['confirm', '/confirm', 'yes']);
export const CANCEL_WORDS: ReadonlySet<string> = new Set(['cancel', '/cancel', 'no']);

export const DEFAULT_CONFIRM_TTL_MS = 60_000;

type Finished = 'used' | 'cancelled' | 'expired' | 'replaced';

type Entry =
  | {
      readonly state: 'pending';
      readonly id: string;
      readonly userId: string | undefined;
      readonly command: string;
      readonly action: Confirmation;
      readonly expiresAt: number;
    }
  | { readonly state: Exclude<Finished, 'replaced'>; readonly id: string; readonly userId: string | undefined; readonly command: string };

/** What asking to confirm or cancel found for a chat (or for one confirmation id in it). */
export type Taken =
  | { readonly kind: 'ready'; readonly command: string; readonly action: Confirmation }
  | { readonly kind: 'none' }
  | { readonly kind: Finished | 'not_yours'; readonly command: string };

/** Who is asking, and (for a button) which confirmation they mean. */
export interface Asker {
  readonly userId?: string;
  readonly id?: string;
}

/** Ids of finished confirmations remembered so a late button tap gets a precise answer; older ones just read "none". */
const REMEMBERED = 1_000;

/** Unguessable and not reused across restarts, so a button from before a restart can never match a new confirmation. */
function randomConfirmationId(): string {
  return randomBytes(6).toString('base64url');
}

/**
 * One pending action per chat, bound to what the owner was shown, valid for a fixed time on the injected clock.
 * A finished entry is remembered (used, cancelled, expired, replaced) so a late "confirm" or button tap gets a precise
 * answer; taking an entry marks it used before anything runs, so two quick "confirm"s run the action once. An entry
 * made for a user (a group chat) can be taken only by that user; an asker without a user (the console) may take any.
 */
export class Confirmations {
  private readonly byChat = new Map<string, Entry>();
  private readonly past = new Map<
    string,
    { readonly chatId: string; readonly state: Finished; readonly command: string; readonly userId: string | undefined }
  >();

  constructor(
    private readonly clock: Clock,
    readonly ttlMs: number = DEFAULT_CONFIRM_TTL_MS,
    private readonly newId: () => string = randomConfirmationId,
  ) {}

  /** Makes `action` the chat's pending confirmation; returns its id and the command whose pending action it replaced. */
  put(
    chatId: string,
    command: string,
    action: Confirmation,
    userId?: string,
  ): { readonly id: string; readonly replaced: string | undefined } {
    const replaced = this.drop(chatId);
    const old = this.byChat.get(chatId);
    if (old) this.remember(chatId, old, old.state === 'pending' ? 'replaced' : old.state);
    const id = this.newId();
    this.byChat.set(chatId, { state: 'pending', id, userId, command, action, expiresAt: this.clock.now() + this.ttlMs });
    return { id, replaced };
  }

  /** Forgets the chat's pending action (a button for it then reads "replaced"), returning its command when still valid. */
  drop(chatId: string): string | undefined {
    const entry = this.settle(chatId);
    if (entry?.state !== 'pending') return undefined;
    this.byChat.delete(chatId);
    this.remember(chatId, entry, 'replaced');
    return entry.command;
  }

  /** The command of the pending action `asker` could take now (by id: that very one), without taking it. */
  pending(chatId: string, asker: Asker = {}): string | undefined {
    return this.peek(chatId, asker)?.command;
  }

  /** The pending action `asker` could take now (by id: that very one), left pending: for its what-if. */
  peek(chatId: string, asker: Asker = {}): { readonly command: string; readonly action: Confirmation } | undefined {
    const entry = this.settle(chatId);
    if (entry?.state !== 'pending' || (asker.id !== undefined && entry.id !== asker.id) || !mine(entry.userId, asker)) return undefined;
    return { command: entry.command, action: entry.action };
  }

  /** Takes the pending action to run it; afterwards it counts as used. */
  take(chatId: string, asker: Asker = {}): Taken {
    return this.finish(chatId, 'used', asker);
  }

  /** Cancels the pending action. */
  cancel(chatId: string, asker: Asker = {}): Taken {
    return this.finish(chatId, 'cancelled', asker);
  }

  private finish(chatId: string, as: 'used' | 'cancelled', asker: Asker): Taken {
    const entry = this.settle(chatId);
    if (asker.id !== undefined && entry?.id !== asker.id) {
      const old = this.past.get(asker.id);
      if (old?.chatId !== chatId) return { kind: 'none' };
      return mine(old.userId, asker) ? { kind: old.state, command: old.command } : { kind: 'not_yours', command: old.command };
    }
    if (!entry) return { kind: 'none' };
    // Checked first, so someone else's tap learns nothing about the action's state and changes nothing.
    if (!mine(entry.userId, asker)) return { kind: 'not_yours', command: entry.command };
    if (entry.state !== 'pending') return { kind: entry.state, command: entry.command };
    this.byChat.set(chatId, { state: as, id: entry.id, userId: entry.userId, command: entry.command });
    return { kind: 'ready', command: entry.command, action: entry.action };
  }

  /** Turns a pending entry whose time is up into an expired one, so nothing can run it any more. */
  private settle(chatId: string): Entry | undefined {
    const entry = this.byChat.get(chatId);
    if (entry?.state === 'pending' && this.clock.now() >= entry.expiresAt) {
      const expired: Entry = { state: 'expired', id: entry.id, userId: entry.userId, command: entry.command };
      this.byChat.set(chatId, expired);
      return expired;
    }
    return entry;
  }

  private remember(chatId: string, entry: Entry, state: Finished): void {
    this.past.set(entry.id, { chatId, state, command: entry.command, userId: entry.userId });
    if (this.past.size > REMEMBERED) this.past.delete(this.past.keys().next().value as string);
  }
}

function mine(owner: string | undefined, asker: Asker): boolean {
  return owner === undefined || asker.userId === undefined || owner === asker.userId;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

/** The answer to a confirm word when there is nothing valid to run. */
export function nothingToConfirm(taken: Exclude<Taken, { kind: 'ready' }>, ttlMs: number): Reply {
  switch (taken.kind) {
    case 'none':
      return { text: 'Nothing to confirm. Commands that change something (/grid, /stop, /kill) ask for confirmation first.' };
    case 'expired':
      return { text: `That confirmation expired after ${seconds(ttlMs)}; send /${taken.command} again.` };
    case 'used':
      return { text: `That confirmation was already used; send /${taken.command} again to do it once more.` };
    case 'cancelled':
      return { text: `That /${taken.command} was cancelled; send /${taken.command} again if you want it.` };
    case 'replaced':
      return { text: `That /${taken.command} was replaced by a newer command; nothing was done for it.` };
    case 'not_yours':
      return { text: `That /${taken.command} waits for the person who asked for it; only they can confirm it.` };
  }
}

/** The answer to a cancel word. */
export function cancelReply(taken: Taken, ttlMs: number): Reply {
  switch (taken.kind) {
    case 'ready':
      return { text: `Cancelled. Nothing was done for /${taken.command}.` };
    case 'none':
      return { text: 'Nothing to cancel.' };
    case 'expired':
      return { text: `Nothing to cancel: that /${taken.command} confirmation had already expired after ${seconds(ttlMs)}.` };
    case 'used':
      return { text: `Nothing to cancel: that /${taken.command} confirmation was already used.` };
    case 'cancelled':
      return { text: `Nothing to cancel: that /${taken.command} was already cancelled.` };
    case 'replaced':
      return { text: `Nothing to cancel: that /${taken.command} was already replaced by a newer command.` };
    case 'not_yours':
      return { text: `That /${taken.command} waits for the person who asked for it; only they can cancel it.` };
  }
}
