import { describe, expect, it } from 'vitest';
import { UNCERTAIN_HEADER, type WaitingNote, planMessage } from '../../../src/chat/outbox/index.js';

const line = (id: number, text: string, extra: object = {}): WaitingNote => ({
  id: String(id),
  note: { k: 'data', t: text, u: false, m: false, at: 0, ...extra },
  uncertain: false,
});
const unit = (): string => 'USDT';

describe('planMessage', () => {
  it('shows only the latest position per symbol in one message, and settles every position note with it', () => {
    const waiting = [
      line(1, '📊 BTCUSDT position 0.001', { k: 'position', s: 'BTCUSDT' }),
      line(2, '📊 ETHUSDT position 0.1', { k: 'position', s: 'ETHUSDT' }),
      line(3, '📊 BTCUSDT position 0.002', { k: 'position', s: 'BTCUSDT' }),
    ];
    const plan = planMessage([], waiting, 0, unit)!;
    expect(plan.text).toBe('📊 BTCUSDT position 0.002\n📊 ETHUSDT position 0.1');
    expect(plan.routineIds).toEqual(['1', '2', '3']);
  });

  it('fills what fits under the limit and leaves the rest, in order, for the next message', () => {
    const waiting = Array.from({ length: 300 }, (_, i) => line(i, `line ${i} ${'x'.repeat(40)}`));
    let rest = waiting;
    const sent: string[] = [];
    while (rest.length > 0) {
      const plan = planMessage([], rest, 0, unit)!;
      expect(plan.text.length).toBeLessThanOrEqual(4096);
      expect(plan.routineTaken).toBeGreaterThan(0);
      sent.push(...plan.text.split('\n'));
      rest = rest.slice(plan.routineTaken);
    }
    expect(sent).toEqual(waiting.map((w) => w.note!.t));
  });

  it("tells a run of one grid's trailing moves as one line, with the window the last move left", () => {
    const move = (id: number, lo: string, hi: string, at: number, g = 'G1'): WaitingNote =>
      line(id, `move ${id}`, { k: 'state', s: 'BTCUSDT', at, r: { g, d: 'up', lo, hi } });
    const plan = planMessage(
      [],
      [
        move(1, '6000000000000', '6500000000000', 0),
        line(2, 'stale'),
        move(3, '6050000000000', '6550000000000', 60_000),
        move(4, '6100000000000', '6600000000000', 3_600_000),
        move(5, '7000000000000', '7100000000000', 3_600_000, 'G2'),
      ],
      3_600_000,
      unit,
    )!;
    expect(plan.text).toBe('↗ Grid G1 trailed up 3 times in the last 1h 00m; it now spans 61000.00–66000.00.\nstale\nmove 5');
    expect(plan.routineIds).toEqual(['1', '2', '3', '4', '5']);
  });

  it('clips a single note that alone is over the limit rather than stalling the queue', () => {
    const plan = planMessage([line(1, 'y'.repeat(5000))], [], 0, unit)!;
    expect(plan.text).toHaveLength(4096);
    expect(plan.text.endsWith('…')).toBe(true);
    expect(plan.urgentTaken).toBe(1);
  });

  it('merges fills per symbol with exact sums and keeps other lines in place', () => {
    const fill = (id: number, side: 'BUY' | 'SELL', q: bigint, x: bigint, g?: bigint): WaitingNote => ({
      id: String(id),
      note: {
        k: 'fill',
        t: `fill ${id}`,
        s: 'BTCUSDT',
        f: { d: side, q: String(q), x: String(x), ...(g !== undefined ? { g: String(g) } : {}) },
        u: false,
        m: true,
        at: 1000,
      },
      uncertain: false,
    });
    const plan = planMessage(
      [],
      [fill(1, 'BUY', 1n, 10n), line(2, 'stale'), fill(3, 'SELL', 2n, 25n, -3n), fill(4, 'SELL', 100_000_000n, 1n, 5n)],
      3500,
      unit,
    )!;
    expect(plan.text).toBe(
      '✅ 3 fills on BTCUSDT in the last 2.5 s: 1 buy 0.00000001 for 0.0000001 USDT, 2 sells 1.00000002 for 0.00000026 USDT, ' +
        'grid profit +0.00000002 USDT\nstale',
    );
    expect(plan.silent).toBe(false);
    expect(plan.routineIds).toEqual(['1', '2', '3', '4']);
  });

  it('ids whose record is gone are settled without a line', () => {
    const plan = planMessage([], [{ id: '1', note: undefined, uncertain: false }, line(2, 'kept')], 0, unit)!;
    expect(plan).toMatchObject({ text: 'kept', routineTaken: 2, noteCount: 1 });
  });

  it('a reply part or an edit goes alone: notes before it go without it, and nothing joins it', () => {
    const keyboard = [[{ text: 'Confirm', callback_data: 'c:1' }]];
    const waiting = [line(1, 'a note'), line(2, 'the reply', { k: 'reply', b: keyboard }), line(3, 'another note')];
    const first = planMessage([], waiting, 0, unit)!;
    expect([first.text, first.routineIds, first.keyboard]).toEqual(['a note', ['1'], undefined]);
    const second = planMessage([], waiting.slice(1), 0, unit)!;
    expect(second).toMatchObject({ text: 'the reply', routineIds: ['2'], keyboard, silent: false });
    const edit = planMessage([line(4, 'new text', { k: 'edit', e: 99 }), line(5, 'urgent note')], [], 0, unit)!;
    expect(edit).toMatchObject({ text: 'new text', editOf: 99, urgentIds: ['4'] });
  });

  it('a maybe-repeated reply says so; a maybe-repeated edit does not (repeating it changes nothing)', () => {
    const reply = { ...line(1, 'the reply', { k: 'reply' }), uncertain: true };
    const edit = { ...line(2, 'new text', { k: 'edit', e: 7 }), uncertain: true };
    expect(planMessage([], [reply], 0, unit)!.text).toBe(`${UNCERTAIN_HEADER}\nthe reply`);
    expect(planMessage([], [edit], 0, unit)!.text).toBe('new text');
  });
});
