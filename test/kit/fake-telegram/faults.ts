/** Scripted trouble beyond 429s: requests held open (a hang), answered with an error, or cut without an answer. */
import type { ApiError } from './types.js';

export interface FaultMatch {
  /** The Bot API method (any spelling); unset matches every method. */
  method?: string;
  chatId?: number;
  /** Chats it leaves alone (e.g. the owner's, while every stranger's send hangs). */
  except?: readonly number[];
  /** How many requests it applies to (default 1; Infinity until `clear()`). */
  count?: number;
}

/** A fault's handle: how many requests it met, and the way to end it. */
export interface FaultHandle {
  /** Requests this fault has applied to so far. */
  met(): number;
  /** Requests it holds open right now (a hang only). */
  holding(): number;
  /** Ends the fault: held requests go on to their normal answer, later ones are not touched. */
  clear(): void;
}

type Action = { kind: 'hang' } | { kind: 'error'; error: ApiError } | { kind: 'drop' };

interface Fault {
  match: FaultMatch;
  action: Action;
  left: number;
  met: number;
  held: Set<() => void>;
}

/** What the server does with one request a fault met: wait for `released`, answer `error`, or cut the connection. */
export type FaultOutcome =
  { kind: 'hang'; released: Promise<void>; cancel: () => void } | { kind: 'error'; error: ApiError } | { kind: 'drop' };

export class Faults {
  private readonly list: Fault[] = [];

  add(match: FaultMatch, action: Action): FaultHandle {
    const fault: Fault = { match, action, left: match.count ?? 1, met: 0, held: new Set() };
    this.list.push(fault);
    return {
      met: () => fault.met,
      holding: () => fault.held.size,
      clear: () => {
        fault.left = 0;
        for (const release of [...fault.held]) release();
      },
    };
  }

  /** The fault this request meets, using up one of its count. */
  meet(method: string, chatId: number | undefined): FaultOutcome | undefined {
    const fault = this.list.find(
      (f) =>
        f.left > 0 &&
        (f.match.method === undefined || f.match.method.toLowerCase() === method.toLowerCase()) &&
        (f.match.chatId === undefined || f.match.chatId === chatId) &&
        (f.match.except === undefined || chatId === undefined || !f.match.except.includes(chatId)),
    );
    if (fault === undefined) return undefined;
    fault.left--;
    fault.met++;
    if (fault.action.kind !== 'hang') return fault.action;
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const done = () => {
      fault.held.delete(done);
      release();
    };
    fault.held.add(done);
    return { kind: 'hang', released, cancel: done };
  }

  /** Lets every held request go (the fake is closing). */
  releaseAll(): void {
    for (const fault of this.list) for (const release of [...fault.held]) release();
  }
}
