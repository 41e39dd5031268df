import { describe, expect, it } from 'vitest';
import { type Notification, Outbox } from '../../../src/chat/outbox/index.js';
import { type Fixed, format, parseFixed } from '../../../src/domain/index.js';
import { ManualClock } from '../../../src/engine/index.js';
import { redisForEachTest } from '../../kit/redis.js';
import { FakeTelegram } from './outbox-kit.js';

const db = redisForEachTest();

/** Runs simulated time from `from` to `to` in `step` ms, enqueuing what is due at each instant, then one pump. */
async function drive(
  clock: ManualClock,
  outbox: Outbox,
  schedule: readonly { readonly at: number; readonly note: Notification }[],
  to: number,
  step = 10,
): Promise<void> {
  let next = 0;
  for (let t = clock.now(); t <= to; t += step) {
    clock.set(t);
    while (next < schedule.length && (schedule[next]?.at ?? Infinity) <= t) await outbox.enqueue(schedule[next++]!.note);
    await outbox.pump();
  }
}

interface Tally {
  fills: number;
  buys: number;
  sells: number;
  buyQty: Fixed;
  sellQty: Fixed;
  buyQuote: Fixed;
  sellQuote: Fixed;
  profit: Fixed;
}

const zeroTally = (): Tally => ({ fills: 0, buys: 0, sells: 0, buyQty: 0n, sellQty: 0n, buyQuote: 0n, sellQuote: 0n, profit: 0n });

function num(text: string | undefined): Fixed {
  const v = text === undefined ? undefined : parseFixed(text);
  if (v === undefined) throw new Error(`not a number: ${text}`);
  return v;
}

/** Reads every fill a received line speaks for, whether a single fill's own text or a digest line. */
function tallyLine(line: string, tallies: Map<string, Tally>): void {
  const single = /^FILL (BUY|SELL) (\S+) (\w+) quote (\S+)(?: profit (\S+))?$/.exec(line);
  const digest = /^✅ (\d+) fills on (\w+) in the last [^:]+: (.*)$/.exec(line);
  if (single) {
    const t = tallies.get(single[3]!) ?? zeroTally();
    tallies.set(single[3]!, t);
    t.fills++;
    if (single[1] === 'BUY') {
      t.buys++;
      t.buyQty += num(single[2]);
      t.buyQuote += num(single[4]);
    } else {
      t.sells++;
      t.sellQty += num(single[2]);
      t.sellQuote += num(single[4]);
    }
    if (single[5] !== undefined) t.profit += num(single[5]);
  } else if (digest) {
    const t = tallies.get(digest[2]!) ?? zeroTally();
    tallies.set(digest[2]!, t);
    t.fills += Number(digest[1]);
    const rest = digest[3]!;
    const b = /(\d+) buys? (\S+) for (\S+) USDT/.exec(rest);
    const s = /(\d+) sells? (\S+) for (\S+) USDT/.exec(rest);
    const p = /grid profit (\S+) USDT/.exec(rest);
    if (b) {
      t.buys += Number(b[1]);
      t.buyQty += num(b[2]);
      t.buyQuote += num(b[3]);
    }
    if (s) {
      t.sells += Number(s[1]);
      t.sellQty += num(s[2]);
      t.sellQuote += num(s[3]);
    }
    if (p) t.profit += num(p[1]);
  } else {
    throw new Error(`unexpected line: ${line}`);
  }
}

describe('Outbox pacing and digests (real Redis, simulated clock)', () => {
  it('500 fills in 2 s to one chat: no rate violation, every fill counted once, sums exact', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const t0 = clock.now();
    const tg = new FakeTelegram(clock);
    const outbox = new Outbox({ redis: db.redis, keyPrefix: db.prefix, send: tg.send, clock, quoteAssetOf: () => 'USDT' });
    const expected = new Map<string, Tally>();
    const schedule = Array.from({ length: 500 }, (_, i) => {
      const symbol = i % 3 === 0 ? 'ETHUSDT' : 'BTCUSDT';
      const side = (i * 7) % 5 < 2 ? ('SELL' as const) : ('BUY' as const);
      // Odd satoshi amounts, so a float anywhere would show.
      const quantity = 100_000n + BigInt((i * 7919) % 99_991);
      const quote = quantity * 50_123n + 1n;
      const gridProfit = side === 'SELL' ? BigInt((i % 13) * 1_000 - 4_000) : undefined;
      const t = expected.get(symbol) ?? zeroTally();
      expected.set(symbol, t);
      t.fills++;
      if (side === 'BUY') {
        t.buys++;
        t.buyQty += quantity;
        t.buyQuote += quote;
      } else {
        t.sells++;
        t.sellQty += quantity;
        t.sellQuote += quote;
        t.profit += gridProfit ?? 0n;
      }
      const text =
        `FILL ${side} ${format(quantity)} ${symbol} quote ${format(quote)}` +
        `${gridProfit !== undefined ? ` profit ${format(gridProfit)}` : ''}`;
      const note: Notification = {
        chatId: 4242,
        kind: 'fill',
        text,
        symbol,
        fill: { side, quantity, quote, ...(gridProfit !== undefined ? { gridProfit } : {}) },
      };
      return { at: t0 + Math.floor((i * 2000) / 500), note };
    });

    await drive(clock, outbox, schedule, t0 + 6000);

    expect(tg.violations).toBe(0);
    expect(await outbox.pending(4242)).toBe(0);
    expect(tg.received[0]!.at - t0).toBeLessThanOrEqual(1000);
    const got = new Map<string, Tally>();
    for (const line of tg.lines()) tallyLine(line, got);
    expect(got).toEqual(expected);
    expect([...got.values()].reduce((n, t) => n + t.fills, 0)).toBe(500);
    expect((await outbox.stats()).notes).toBe(500);
    // 0 s, 1 s, 2 s: the burst costs three messages, not five hundred.
    expect(tg.received.length).toBe(3);
    expect(tg.received.every((m) => m.text.length <= 4096)).toBe(true);
  });

  it('a 429 retry_after 5 s holds the chat for 5 s, then delivery resumes with nothing lost', async () => {
    const clock = new ManualClock(1_000_000);
    const t0 = clock.now();
    const tg = new FakeTelegram(clock);
    tg.script = (_call, n) => (n === 1 ? { ok: false, retryAfterMs: 5000 } : undefined);
    const outbox = new Outbox({ redis: db.redis, keyPrefix: db.prefix, send: tg.send, clock });
    const schedule = Array.from({ length: 21 }, (_, k) => ({
      at: t0 + k * 500,
      note: { chatId: 7, kind: 'data', text: `line ${k}` } satisfies Notification,
    }));

    await drive(clock, outbox, schedule, t0 + 14_000, 50);

    expect(tg.calls[0]!.at).toBe(t0);
    expect(tg.calls[1]!.at).toBe(t0 + 5000);
    expect(tg.calls.filter((c) => c.at > t0 && c.at < t0 + 5000)).toEqual([]);
    expect(tg.violations).toBe(0);
    expect(tg.lines()).toEqual(schedule.map((s) => s.note.text));
    expect(await outbox.pending(7)).toBe(0);
  });

  it('groups get 20 a minute, private chats 1 a second, all chats 30 a second', async () => {
    const clock = new ManualClock(9_000_000);
    const t0 = clock.now();
    const tg = new FakeTelegram(clock);
    const outbox = new Outbox({ redis: db.redis, keyPrefix: db.prefix, send: tg.send, clock });
    // 40 private chats with one note each at t0: 30 go at once, the rest a second later.
    for (let c = 1; c <= 40; c++) await outbox.enqueue({ chatId: c, kind: 'recovery', text: `hello ${c}` });
    const group = Array.from({ length: 40 }, (_, k) => ({
      at: t0 + k * 250,
      note: { chatId: -100123, kind: 'data', text: `g ${k}` } satisfies Notification,
    }));
    clock.set(t0);
    await outbox.pump();
    expect(tg.received.length).toBe(30);

    await drive(clock, outbox, group, t0 + 20_000, 50);

    expect(tg.violations).toBe(0);
    expect(tg.received.filter((m) => m.chatId > 0)).toHaveLength(40);
    expect(tg.received.filter((m) => m.chatId > 0 && m.at === t0 + 1000)).toHaveLength(10);
    const groupMessages = tg.received.filter((m) => m.chatId < 0);
    for (let i = 20; i < groupMessages.length; i++) expect(groupMessages[i]!.at - groupMessages[i - 20]!.at).toBeGreaterThanOrEqual(60_000);
    expect(groupMessages.flatMap((m) => m.text.split('\n'))).toEqual(group.map((g) => g.note.text));
  });
});
