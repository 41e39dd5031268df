/** Telegram's flood limits and scripted 429s, with a log of what broke them. */
import type { ChatType, Penalty, RequestRecord, Violation } from './types.js';

/** The calls Telegram's flood limits count (the bots FAQ speaks of messages). */
export const MESSAGE_METHODS = new Set(['sendmessage', 'sendphoto']);

const PRIVATE_GAP_MS = 1_000; // "avoid sending more than one message per second" in one chat
const GROUP_WINDOW_MS = 60_000;
const GROUP_MAX = 20;
const GLOBAL_WINDOW_MS = 1_000;
const GLOBAL_MAX = 30;

export interface Injection {
  chatId?: number;
  method?: string;
  retryAfter: number;
  count?: number;
}

interface Sent {
  token: string;
  chatId: number;
  time: number;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** Telegram's flood control as the bots FAQ states it, plus scripted 429s and a log of retries that came too early. */
export class Limits {
  enforced = false;
  private readonly injections: (Injection & { left: number })[] = [];
  private readonly delivered: Sent[] = [];
  private readonly penalties: Penalty[] = [];
  readonly violations: Violation[] = [];

  inject(injection: Injection): void {
    this.injections.push({ ...injection, left: injection.count ?? 1 });
  }

  /** A scripted 429's retry_after for this request, using up one of its count. */
  injected(method: string, chatId: number | undefined): number | undefined {
    const found = this.injections.find(
      (i) =>
        i.left > 0 &&
        (i.chatId === undefined || i.chatId === chatId) &&
        (i.method === undefined || i.method.toLowerCase() === method.toLowerCase()),
    );
    if (found === undefined) return undefined;
    found.left--;
    return found.retryAfter;
  }

  /** The penalty this request breaks, if any: another message to the chat, or the same call, before retry_after ran out. */
  penaltyBroken(token: string, method: string, chatId: number | undefined, now: number): Penalty | undefined {
    const lower = method.toLowerCase();
    return this.penalties.find(
      (p) =>
        p.token === token &&
        now < p.until &&
        (p.chatId === undefined
          ? p.method.toLowerCase() === lower
          : p.chatId === chatId && (MESSAGE_METHODS.has(lower) || p.method.toLowerCase() === lower)),
    );
  }

  notePenalty(token: string, method: string, chatId: number | undefined, retryAfter: number, now: number): void {
    this.penalties.push({
      token,
      method,
      retryAfter,
      from: now,
      until: now + retryAfter * 1000,
      ...(chatId === undefined ? {} : { chatId }),
    });
  }

  noteViolation(request: RequestRecord, penalty: Penalty): void {
    this.violations.push({ request, penalty });
  }

  /** With limits enforced, the retry_after a message to this chat earns now; undefined when it may go. */
  paced(token: string, chatId: number, type: ChatType, now: number): number | undefined {
    const mine = this.delivered.filter((s) => s.token === token);
    const waits: number[] = [];
    const global = mine.filter((s) => s.time > now - GLOBAL_WINDOW_MS);
    if (global.length >= GLOBAL_MAX) waits.push(global[global.length - GLOBAL_MAX]!.time + GLOBAL_WINDOW_MS - now);
    const here = mine.filter((s) => s.chatId === chatId);
    if (type === 'private') {
      const last = here[here.length - 1];
      if (last !== undefined && now - last.time < PRIVATE_GAP_MS) waits.push(last.time + PRIVATE_GAP_MS - now);
    } else {
      const recent = here.filter((s) => s.time > now - GROUP_WINDOW_MS);
      if (recent.length >= GROUP_MAX) waits.push(recent[recent.length - GROUP_MAX]!.time + GROUP_WINDOW_MS - now);
    }
    return waits.length === 0 ? undefined : seconds(Math.max(...waits));
  }

  /** A penalty's remaining wait, as Telegram would quote it to a request that came too early. */
  remaining(penalty: Penalty, now: number): number {
    return seconds(penalty.until - now);
  }

  noteDelivered(token: string, chatId: number, now: number): void {
    this.delivered.push({ token, chatId, time: now });
  }
}
