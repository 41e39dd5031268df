import type { Clock } from '../engine/index.js';
import type { Confirmation, Reply } from './registry.js';

export const CONFIRM_WORDS: ReadonlySet<string> = new Set(['confirm', '/confirm', 'yes']);
export const CANCEL_WORDS: ReadonlySet<string> = new Set(['cancel', '/cancel', 'no']);

export const DEFAULT_CONFIRM_TTL_MS = 60_000;

type Entry =
  | { readonly state: 'pending'; readonly command: string; readonly action: Confirmation; readonly expiresAt: number }
  | { readonly state: 'used' | 'cancelled' | 'expired'; readonly command: string };

/** What asking to confirm or cancel found for a chat. */
export type Taken =
  | { readonly kind: 'ready'; readonly command: string; readonly action: Confirmation }
  | { readonly kind: 'none' }
  | { readonly kind: 'used' | 'cancelled' | 'expired'; readonly command: string };

/**
 * One pending action per chat, bound to what the owner was shown, valid for a fixed time on the injected clock.
 * A finished entry is remembered (used, cancelled, expired) so a late "confirm" gets a precise answer; taking an
 * entry marks it used before anything runs, so two quick "confirm"s run the action once.
 */
export class Confirmations {
  private readonly byChat = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    readonly ttlMs: number = DEFAULT_CONFIRM_TTL_MS,
  ) {}

  /** Makes `action` the chat's pending confirmation; returns the command whose pending action it replaced. */
  put(chatId: string, command: string, action: Confirmation): string | undefined {
    const replaced = this.drop(chatId);
    this.byChat.set(chatId, { state: 'pending', command, action, expiresAt: this.clock.now() + this.ttlMs });
    return replaced;
  }

  /** Forgets the chat's pending action without a trace, returning its command when there was one still valid. */
  drop(chatId: string): string | undefined {
    const entry = this.settle(chatId);
    if (entry?.state !== 'pending') return undefined;
    this.byChat.delete(chatId);
    return entry.command;
  }

  /** Takes the pending action to run it; afterwards it counts as used. */
  take(chatId: string): Taken {
    return this.finish(chatId, 'used');
  }

  /** Cancels the pending action. */
  cancel(chatId: string): Taken {
    return this.finish(chatId, 'cancelled');
  }

  private finish(chatId: string, as: 'used' | 'cancelled'): Taken {
    const entry = this.settle(chatId);
    if (!entry) return { kind: 'none' };
    if (entry.state !== 'pending') return { kind: entry.state, command: entry.command };
    this.byChat.set(chatId, { state: as, command: entry.command });
    return { kind: 'ready', command: entry.command, action: entry.action };
  }

  /** Turns a pending entry whose time is up into an expired one, so nothing can run it any more. */
  private settle(chatId: string): Entry | undefined {
    const entry = this.byChat.get(chatId);
    if (entry?.state === 'pending' && this.clock.now() >= entry.expiresAt) {
      const expired: Entry = { state: 'expired', command: entry.command };
      this.byChat.set(chatId, expired);
      return expired;
    }
    return entry;
  }
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
  }
}
