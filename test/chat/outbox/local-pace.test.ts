import { describe, expect, it } from 'vitest';
import { LocalPace } from '../../../src/chat/outbox/local-pace.js';

const PRIVATE = { chatLimit: 1, chatWindowMs: 1_000, globalLimit: 30, globalWindowMs: 1_000 };

describe("the outbox's own pace", () => {
  it('counts a message from its answer: a slow delivery never lets the next one reach Telegram under a second later', () => {
    const pace = new LocalPace(() => PRIVATE);
    pace.take('7', 0);
    expect(pace.wait('7', 999)).toBe(1);
    // Answered 300 ms later: Telegram may have received it as late as that.
    pace.answered('7', 0, 300);
    expect(pace.wait('7', 1_000)).toBe(300);
    expect(pace.wait('7', 1_300)).toBe(0);
  });

  it('moves the message in the all-chats window too, without counting it twice', () => {
    const pace = new LocalPace(() => ({ ...PRIVATE, globalLimit: 2 }));
    pace.take('1', 0);
    pace.answered('1', 0, 400);
    pace.take('2', 500);
    // Two in the last second across chats (at 400 and 500): the global window is full until 1,400.
    expect(pace.wait('3', 900)).toBe(500);
    expect(pace.wait('3', 1_400)).toBe(0);
  });
});
