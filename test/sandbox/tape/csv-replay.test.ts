import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type TradeTick, fx, parseFixed } from '../../../src/domain/index.js';
import { type ArrayTape, expandKline, loadTape, parseKline, parseTapeCsv } from '../../../src/sandbox/tape/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const DATA = path.resolve(repoRoot, '../shared/data');
const BTC_DAY1 = path.join(DATA, 'BTCUSDT-1m-2020-01-01.csv');
const TRX = path.join(DATA, 'TRXUSDT-trades-2025-03-04.csv');

function drain(tape: { next(): TradeTick | undefined }): TradeTick[] {
  const out: TradeTick[] = [];
  for (let t = tape.next(); t !== undefined; t = tape.next()) out.push(t);
  return out;
}

function unwrap(r: { ok: true; value: ArrayTape } | { ok: false; error: { code: string; message: string } }): ArrayTape {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

function expectTimeOrdered(ticks: readonly TradeTick[]): void {
  expect(ticks.findIndex((t, i) => i > 0 && t.time < (ticks[i - 1] as TradeTick).time)).toBe(-1);
}

/** The index of the first trade id that does not follow its predecessor by one, or -1. */
function idGap(ticks: readonly TradeTick[]): number {
  return ticks.findIndex((t, i) => i > 0 && t.tradeId !== (ticks[i - 1] as TradeTick).tradeId + 1);
}

describe('kline replay (real BTCUSDT 1m klines)', () => {
  const tape = unwrap(loadTape(BTC_DAY1));
  const ticks = drain(tape);

  it('expands 1440 bars into 4 trades each, named after the file', () => {
    expect(tape.symbols).toEqual(['BTCUSDT']);
    expect(ticks).toHaveLength(1440 * 4);
    expect(ticks.every((t) => t.symbol === 'BTCUSDT')).toBe(true);
  });

  it('starts at the well-known 7195.24 open at 2020-01-01T00:00:00Z', () => {
    expect(ticks[0]).toMatchObject({ price: fx('7195.24'), time: 1577836800000 });
  });

  it('keeps time order and never reuses a trade id', () => {
    expectTimeOrdered(ticks);
    expect(idGap(ticks)).toBe(-1);
  });

  it('trades exactly the volume of the file', () => {
    const fileVolume = readFileSync(BTC_DAY1, 'utf8')
      .trim()
      .split('\n')
      .reduce((sum, line) => sum + (parseFixed(line.split(',')[5] as string) as bigint), 0n);
    const traded = ticks.reduce((sum, t) => sum + t.quantity, 0n);
    expect(traded).toBe(fileVolume);
    expect(traded).toBeGreaterThan(0n);
  });

  it('walks open → extremes → close (high first on a down bar, low first on an up bar) at +0, +15 s, +30 s, +59.999 s', () => {
    // 2020-01-01 00:00 bar closed down: 7195.24 → high 7196.25 → low 7183.14 → close 7186.68.
    expect(ticks.slice(0, 4).map((t) => [t.price, t.time - 1577836800000])).toEqual([
      [fx('7195.24'), 0],
      [fx('7196.25'), 15_000],
      [fx('7183.14'), 30_000],
      [fx('7186.68'), 59_999],
    ]);
    const upBar = unwrap(parseTapeCsv('60000,10,12,9,11,4,119999,0,0,0,0,0', { symbol: 'XUSDT' }));
    expect(drain(upBar).map((t) => t.price)).toEqual([fx('10'), fx('9'), fx('12'), fx('11')]);
  });

  it('marks falling trades as buyer-maker and rising ones as buyer-taker', () => {
    expect(ticks.slice(1, 4).map((t) => t.isBuyerMaker)).toEqual([false, true, false]);
  });

  it('reads a µs kline line exactly like its ms twin', () => {
    const ms =
      '1577836800000,7195.24000000,7196.25000000,7183.14000000,7186.68000000,51.64281200,' +
      '1577836859999,371233.51835535,493,19.59823000,140888.41428273,0';
    const us =
      '1577836800000000,7195.24000000,7196.25000000,7183.14000000,7186.68000000,51.64281200,' +
      '1577836859999999,371233.51835535,493,19.59823000,140888.41428273,0';
    const a = drain(unwrap(parseTapeCsv(ms, { symbol: 'BTCUSDT' })));
    const b = drain(unwrap(parseTapeCsv(us, { symbol: 'BTCUSDT' })));
    expect(b).toEqual(a);
    expect(a.slice(0, 4)).toEqual(ticks.slice(0, 4));
  });

  it('accepts the header some kline dumps carry', () => {
    const text =
      'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n' +
      `${readFileSync(BTC_DAY1, 'utf8')}`;
    expect(drain(unwrap(parseTapeCsv(text, { symbol: 'BTCUSDT' })))).toEqual(ticks);
  });

  it('interpolates whole-tick trades inside each leg when asked', () => {
    const steps = drain(unwrap(loadTape(BTC_DAY1, { pathSteps: 3 })));
    expect(steps).toHaveLength(1440 * 13);
    const tick = fx('0.01');
    expect(steps.every((t) => t.price % tick === 0n)).toBe(true);
    expectTimeOrdered(steps);
    expect(steps.reduce((s, t) => s + t.quantity, 0n)).toBe(ticks.reduce((s, t) => s + t.quantity, 0n));
    // The first leg climbs 7195.24 → 7196.25 (101 ticks) in quarters rounded half-even to whole ticks: +25, +50, +76, +101.
    expect(steps.slice(0, 5).map((t) => t.price)).toEqual(['7195.24', '7195.49', '7195.74', '7196.00', '7196.25'].map(fx));
  });
});

describe('trade replay (real TRXUSDT stream recording)', () => {
  const tape = unwrap(loadTape(TRX));
  const ticks = drain(tape);

  it('reads 10,000 contiguous trades', () => {
    expect(tape.symbols).toEqual(['TRXUSDT']);
    expect(ticks).toHaveLength(10_000);
    expect(ticks[0]?.tradeId).toBe(348656870);
    expect(ticks[9999]?.tradeId).toBe(348666869);
    expect(idGap(ticks)).toBe(-1);
  });

  it('takes the transaction time and cuts µs to ms', () => {
    expect(ticks[0]).toEqual({
      symbol: 'TRXUSDT',
      price: fx('0.2312'),
      quantity: fx('2619.4'),
      time: 1741046401271,
      tradeId: 348656870,
      isBuyerMaker: true,
    });
    expectTimeOrdered(ticks);
    expect(ticks[9999]?.time).toBeLessThan(Date.UTC(2025, 2, 4, 0, 48));
  });

  it('keeps prices inside 0.2304–0.2329 and sees both maker sides', () => {
    expect(ticks.every((t) => t.price >= fx('0.2304') && t.price <= fx('0.2329'))).toBe(true);
    expect(ticks.some((t) => t.isBuyerMaker)).toBe(true);
    expect(ticks.some((t) => !t.isBuyerMaker)).toBe(true);
  });

  it('keeps only the asked symbol of a stream recording', () => {
    const text = readFileSync(TRX, 'utf8');
    expect(unwrap(parseTapeCsv(text, { symbol: 'trxusdt' })).ticks).toHaveLength(10_000);
    const other = parseTapeCsv(text, { symbol: 'BTCUSDT' });
    expect(other.ok ? 'ok' : other.error.code).toBe('TAPE_EMPTY');
  });
});

describe('data.binance.vision trade layouts', () => {
  const rows = ['7,100.5,0.2,20.1,1700000000123,True,True', '8,100.4,0.1,10.04,1700000000123456,False,True'];

  it('reads trades with and without the header, µs or ms', () => {
    const bare = drain(unwrap(parseTapeCsv(rows.join('\n'), { fileName: 'ETHUSDT-trades-2023-11-14.csv' })));
    const headed = drain(
      unwrap(parseTapeCsv(`id,price,qty,quote_qty,time,is_buyer_maker,is_best_match\r\n${rows.join('\r\n')}\r\n`, { symbol: 'ETHUSDT' })),
    );
    expect(headed).toEqual(bare);
    expect(bare).toEqual([
      { symbol: 'ETHUSDT', price: fx('100.5'), quantity: fx('0.2'), time: 1700000000123, tradeId: 7, isBuyerMaker: true },
      { symbol: 'ETHUSDT', price: fx('100.4'), quantity: fx('0.1'), time: 1700000000123, tradeId: 8, isBuyerMaker: false },
    ]);
  });

  it('reads aggTrades by their eight columns', () => {
    const agg = drain(unwrap(parseTapeCsv('5,100.5,0.2,10,12,1700000000999,True,True', { symbol: 'ETHUSDT' })));
    expect(agg).toEqual([
      { symbol: 'ETHUSDT', price: fx('100.5'), quantity: fx('0.2'), time: 1700000000999, tradeId: 5, isBuyerMaker: true },
    ]);
  });

  it('puts an out-of-order file into time order, keeping equal times in file order', () => {
    const text = ['1,1,1,1,300,True,True', '2,2,1,2,100,True,True', '3,3,1,3,100,True,True'].join('\n');
    expect(drain(unwrap(parseTapeCsv(text, { symbol: 'AUSDT' }))).map((t) => t.tradeId)).toEqual([2, 3, 1]);
  });
});

describe('tape failures are values', () => {
  const code = (r: ReturnType<typeof parseTapeCsv>): string => (r.ok ? 'ok' : r.error.code);

  it('names what is wrong', () => {
    expect(code(parseTapeCsv(''))).toBe('TAPE_EMPTY');
    expect(code(parseTapeCsv('a,b,c\n1,2,3'))).toBe('TAPE_UNKNOWN_LAYOUT');
    expect(code(parseTapeCsv('1,2,3'))).toBe('TAPE_UNKNOWN_LAYOUT');
    expect(code(parseTapeCsv('60000,10,12,9,11,4,119999,0,0,0,0,0'))).toBe('TAPE_NO_SYMBOL');
    expect(code(parseTapeCsv('60000,10,12,9,11,4,119999,0,0,0,0,0', { symbol: 'XUSDT', pathSteps: 2 }))).toBe('TAPE_NO_TICK_SIZE');
    expect(code(loadTape(path.join(DATA, 'NOPE-1m-2020-01-01.csv')))).toBe('TAPE_UNREADABLE');
  });

  it('points at the bad line and field', () => {
    const r = parseTapeCsv('60000,10,12,9,11,4,119999,0,0,0,0,0\n120000,10,12,9,11.123456789,4,179999,0,0,0,0,0', { symbol: 'XUSDT' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'TAPE_BAD_LINE', message: expect.stringContaining('line 2: bad close') });
    const flag = parseTapeCsv('1,1,1,1,300,maybe,True', { symbol: 'AUSDT' });
    expect(flag.ok ? '' : flag.error.message).toContain('is-buyer-maker');
  });
});

describe('kline path (property)', () => {
  const amount = fc.bigInt({ min: 1n, max: 10n ** 12n });
  it('splits the volume exactly and stays inside the bar', () => {
    fc.assert(
      fc.property(
        amount,
        amount,
        amount,
        amount,
        fc.bigInt({ min: 0n, max: 10n ** 14n }),
        fc.integer({ min: 0, max: 6 }),
        (a, b, c, d, volume, pathSteps) => {
          const [low, p, q, high] = [a, b, c, d].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)) as [bigint, bigint, bigint, bigint];
          const k = { openTime: 60_000, closeTime: 119_999, open: p, high, low, close: q, volume };
          const out: TradeTick[] = [];
          expandKline(k, 'XUSDT', { pathSteps, tickSize: 1n }, { price: undefined, isBuyerMaker: false }, out);
          if (volume === 0n) return out.length === 0;
          return (
            out.length === 4 + 3 * pathSteps &&
            out.reduce((s, t) => s + t.quantity, 0n) === volume &&
            out.every((t) => t.price >= low && t.price <= high && t.time >= 60_000 && t.time <= 119_999 && t.quantity >= 0n) &&
            out.every((t, i) => i === 0 || t.time >= (out[i - 1] as TradeTick).time) &&
            out[0]?.price === p &&
            out[out.length - 1]?.price === q
          );
        },
      ),
    );
  });

  it('rejects a bar whose extremes do not bound its open and close', () => {
    expect(parseKline('60000,10,11,9,12,4,119999,0,0,0,0,0'.split(','), 3).ok).toBe(false);
  });
});
