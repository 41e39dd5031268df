import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKTEST_USAGE, parseBacktestArgs } from '../../src/app/backtest-args.js';
import { runBacktestCommand } from '../../src/app/backtest-command.js';
import { loadConfig } from '../../src/app/config.js';
import { fx } from '../../src/domain/index.js';
import { sharedData } from '../history/archive-server.js';
import { spawnTelegrid } from '../kit/telegrid-process.js';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const DAY_FILE = sharedData('BTCUSDT-1m-2020-01-01.csv');
const PERPETUAL_DAY = sharedData('futures/um/klines/BTCUSDT-1m-2025-05-05.csv');
const FUNDING_MONTH = sharedData('futures/um/fundingRate/BTCUSDT-fundingRate-2025-05.csv');

function refusal(args: string): string {
  const r = parseBacktestArgs(args.split(' '));
  if (r.ok) throw new Error(`expected '${args}' to be refused`);
  return r.error.message;
}

describe('telegrid backtest: arguments', () => {
  it('reads one grid as /grid does, and a sweep with its steps', () => {
    const one = parseBacktestArgs('btcusdt 10 0.5 25 geometric from=2024-01-01 to=2024-01-31 interval=1h'.split(' '));
    expect(one.ok && one.value).toEqual({
      symbol: 'BTCUSDT',
      grids: { kind: 'one', levels: 10, spacingPct: fx('0.5') },
      amount: fx('25'),
      spacing: 'geometric',
      days: { from: '2024-01-01', to: '2024-01-31' },
      interval: '1h',
      files: [],
    });
    const sweep = parseBacktestArgs(['BTCUSDT', '--sweep', 'levels=5..20:5', 'spacing=0.2..1.0', 'file=a.csv', 'file=b.zip']);
    expect(sweep.ok && sweep.value.grids).toEqual({
      kind: 'sweep',
      levels: [5, 10, 15, 20],
      // 0.2..1.0 by the default 0.1: nine spacings, counted exactly.
      spacings: ['0.2', '0.3', '0.4', '0.5', '0.6', '0.7', '0.8', '0.9', '1.0'].map(fx),
      words: 'levels 5..20 by 5, spacing 0.2..1 by 0.1 %',
    });
    expect(sweep.ok && sweep.value.files).toEqual(['a.csv', 'b.zip']);
    // With files, from= and to= each narrow on their own; without, one day is from= alone.
    const narrowed = parseBacktestArgs(['BTCUSDT', '10', '0.5', 'file=a.csv', 'to=2020-01-01']);
    expect(narrowed.ok && narrowed.value.days).toEqual({ to: '2020-01-01' });
    const oneDay = parseBacktestArgs(['BTCUSDT', '10', '0.5', 'from=2020-01-01']);
    expect(oneDay.ok && oneDay.value.days).toEqual({ from: '2020-01-01', to: '2020-01-01' });
  });

  it('names what is wrong, what it expects, with an example', () => {
    const example = 'e.g. telegrid backtest BTCUSDT 10 0.5 from=2024-01-01 to=2024-01-31';
    expect(refusal('BTCUSDT ten 0.5 from=2024-01-01')).toBe(
      `LEVELS must be a whole number from 1 to 100, got 'ten'.\n${example}\n(telegrid backtest --help says it all)`,
    );
    expect(refusal('BTCUSDT 10 0,5 from=2024-01-01')).toContain(
      "SPACING must be a percentage above 0 and below 50 with at most 8 decimals, like 0.5, got '0,5' (use '.' for decimals).",
    );
    expect(refusal('BTCUSDT 10 0.5 0 from=2024-01-01')).toContain('AMOUNT must be an amount of the quote asset a level above 0');
    expect(refusal('BTCUSDT 10 0.5')).toContain('from= is missing: the first UTC day to replay from HISTORY_DIR, like from=2024-01-01');
    expect(refusal('BTCUSDT 10 0.5 from=2024-02-30')).toContain('from=2024-02-30 is not a calendar day: write a UTC day YYYY-MM-DD');
    expect(refusal('BTCUSDT 10 0.5 from=2024-02-01 to=2024-01-01')).toContain('to=2024-01-01 is before from=2024-02-01');
    expect(refusal('BTCUSDT 10 0.5 from=2024-01-01 interval=2m')).toContain("interval=: '2m' is not a kline interval");
    expect(refusal('FOOBAR 10 0.5 from=2024-01-01')).toContain('SYMBOL: telegrid knows the filters of BTCUSDT, ETHUSDT');
    expect(refusal('BTCUSDT 10 0.5 from=2024-01-01 at=7000')).toContain("unknown option 'at=7000': telegrid backtest takes from=, to=");
    expect(refusal('BTCUSDT 10 0.5 levels=5..6 from=2024-01-01')).toContain('levels= and spacing= are ranges for --sweep');
    expect(refusal('BTCUSDT --sweep 10 0.5 from=2024-01-01')).toContain("with --sweep, levels= and spacing= give the grids: drop '10 0.5'");
    expect(refusal('BTCUSDT --sweep levels=5..20 from=2024-01-01')).toContain('spacing= is missing');
    expect(refusal('BTCUSDT --sweep levels=20..5 spacing=0.5 from=2024-01-01')).toContain('levels=20..5 ends below where it starts');
    expect(refusal('BTCUSDT --sweep levels=1..100 spacing=0.1..2.0 from=2024-01-01')).toContain(
      '--sweep would replay 2000 grids (100 levels × 20 spacings); at most 400',
    );
    expect(BACKTEST_USAGE).toContain('telegrid backtest SYMBOL --sweep levels=A..B[:STEP] spacing=A..B[:STEP]');
  });
});

describe('telegrid backtest: futures words', () => {
  it('reads long|short|neutral [xN] [cross|isolated] as /grid does, with its defaults, and the funding options', () => {
    const neutral = parseBacktestArgs('BTCUSDT 10 0.5 25 neutral x3 cross geometric from=2025-05-05'.split(' '));
    expect(neutral.ok && neutral.value).toMatchObject({
      grids: { kind: 'one', levels: 10, spacingPct: fx('0.5') },
      amount: fx('25'),
      spacing: 'geometric',
      futures: { mode: 'neutral', leverage: 3, margin: 'cross' },
    });
    // /grid's defaults: x1 and isolated margin.
    const long = parseBacktestArgs('BTCUSDT 10 0.5 long funding-rate=-0.0002 from=2025-05-05'.split(' '));
    expect(long.ok && long.value).toMatchObject({
      futures: { mode: 'long', leverage: 1, margin: 'isolated' },
      funding: { kind: 'rate', rate: fx('-0.0002') },
    });
    const sweep = parseBacktestArgs([
      'BTCUSDT',
      '--sweep',
      'levels=4..5',
      'spacing=0.5',
      'short',
      'x5',
      'funding=a.csv',
      'funding=b.zip',
      'file=c.csv',
    ]);
    expect(sweep.ok && sweep.value).toMatchObject({
      futures: { mode: 'short', leverage: 5, margin: 'isolated' },
      funding: { kind: 'files', paths: ['a.csv', 'b.zip'] },
    });
    const spot = parseBacktestArgs('BTCUSDT 10 0.5 from=2025-05-05'.split(' '));
    expect(spot.ok && 'futures' in spot.value).toBe(false);
  });

  it('answers a futures word as /grid answers it', () => {
    const futuresExample = 'e.g. telegrid backtest BTCUSDT 10 0.5 neutral x3 from=2025-05-05';
    expect(refusal('BTCUSDT 10 0.5 long x0 from=2025-05-05')).toBe(
      "LEVERAGE must be x followed by a whole number from 1 to 125, like x5, got 'x0'.\n" +
        `${futuresExample}\n(telegrid backtest --help says it all)`,
    );
    expect(refusal('BTCUSDT 10 0.5 short x2.5 from=2025-05-05')).toContain(
      "LEVERAGE must be x followed by a whole number from 1 to 125, like x5, got 'x2.5'.",
    );
    expect(refusal('BTCUSDT 10 0.5 x5 from=2025-05-05')).toContain(
      'x5 is for futures grids: add long, short or neutral, like telegrid backtest BTCUSDT 10 0.5 neutral x3 from=2025-05-05.',
    );
    expect(refusal('BTCUSDT 10 0.5 cross from=2025-05-05')).toContain('cross is for futures grids: add long, short or neutral');
    expect(refusal('BTCUSDT 10 0.5 funding-rate=0.0001 from=2025-05-05')).toContain('funding-rate= is for futures grids');
    expect(refusal('BTCUSDT 10 0.5 long short from=2025-05-05')).toContain("choose one of long, short or neutral, not 'long' and 'short'");
    expect(refusal('BTCUSDT 10 0.5 long x3 x5 from=2025-05-05')).toContain('choose one leverage, not x3 and x5');
    expect(refusal('BTCUSDT 10 0.5 long funding=a.csv funding-rate=0.0001 from=2025-05-05')).toContain(
      'give funding=PATH (rates from a file) or funding-rate=RATE (one rate), not both',
    );
    expect(refusal('BTCUSDT 10 0.5 long funding-rate=0.03 from=2025-05-05')).toContain(
      'funding-rate= expects a rate per funding interval from -0.025 to 0.025 (0.0001 is 0.01 % per 8 h), ' +
        "like funding-rate=0.0001, got '0.03'",
    );
    expect(BACKTEST_USAGE).toContain('FUTURES: long|short|neutral [xN] [cross|isolated] [funding=PATH …] [funding-rate=RATE]');
  });
});

describe('telegrid backtest: kline files', () => {
  async function command(files: string[]) {
    const config = loadConfig({ CHART_DIR: mkdtempSync(join(tmpdir(), 'telegrid-backtest-files-')) });
    if (!config.ok) throw new Error(config.message);
    const args = parseBacktestArgs(['BTCUSDT', '10', '0.5', ...files.map((f) => `file=${f}`)]);
    if (!args.ok) throw new Error(args.error.message);
    const out: string[] = [];
    const err: string[] = [];
    const code = await runBacktestCommand(args.value, config.config, { out: (l) => out.push(l), err: (l) => err.push(l) });
    rmSync(config.config.CHART_DIR, { recursive: true, force: true });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('replays files in time order whatever order they are given in, and refuses overlaps and mixed intervals', async () => {
    const two = await command([sharedData('BTCUSDT-1m-2020-01-02.csv'), DAY_FILE]);
    expect(two.code).toBe(0);
    expect(two.out).toContain('2880 1m candles, 2020-01-01 00:00 → 2020-01-02 23:59 UTC');
    const twice = await command([DAY_FILE, DAY_FILE]);
    expect(twice.code).toBe(2);
    expect(twice.err).toBe(`telegrid backtest: file=${DAY_FILE} overlaps file=${DAY_FILE}: each candle may be given once`);
    const hours = sharedData('spot/klines/BTCUSDT-1h-2020-01.csv');
    const mixed = await command([DAY_FILE, hours]);
    expect(mixed.code).toBe(2);
    expect(mixed.err).toBe(`telegrid backtest: file=${hours} holds 1h candles, file=${DAY_FILE} 1m: give files of one interval`);
  });
});

describe('telegrid backtest: funding files', () => {
  it('says when the given rates do not reach over the replayed days, and names a funding file it cannot read', async () => {
    const config = loadConfig({ CHART_DIR: mkdtempSync(join(tmpdir(), 'telegrid-backtest-funding-')) });
    if (!config.ok) throw new Error(config.message);
    const command = async (funding: string) => {
      const args = parseBacktestArgs(['BTCUSDT', '10', '0.5', 'long', `file=${PERPETUAL_DAY}`, `funding=${funding}`]);
      if (!args.ok) throw new Error(args.error.message);
      const out: string[] = [];
      const err: string[] = [];
      const code = await runBacktestCommand(args.value, config.config, { out: (l) => out.push(l), err: (l) => err.push(l) });
      return { code, out, err };
    };
    try {
      const april = sharedData('futures/um/fundingRate/BTCUSDT-fundingRate-2025-04.csv');
      const early = await command(april);
      expect(early.code).toBe(0);
      expect(early.out.slice(0, 2)).toEqual([
        `funding: the rates of ${april}`,
        '⚠️ the funding rates run 2025-04-01 00:00 → 2025-04-30 16:00 UTC only: no funding settles outside them',
      ]);
      expect(early.out.join('\n')).toContain('over 0 settlements');
      const missing = await command('no-such-rates.csv');
      expect(missing.code).toBe(2);
      expect(missing.err[0]).toMatch(/^telegrid backtest: funding=: cannot read .*no-such-rates\.csv/);
    } finally {
      rmSync(config.config.CHART_DIR, { recursive: true, force: true });
    }
  });
});

describe('telegrid backtest: the command', { timeout: 60_000 }, () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function run(args: string[], env: Record<string, string> = {}, prepare?: (cwd: string) => void) {
    const cwd = mkdtempSync(join(tmpdir(), 'telegrid-backtest-'));
    dirs.push(cwd);
    prepare?.(cwd);
    const child = spawnTelegrid(['backtest', ...args], env, cwd);
    const stderrSays = (text: string) =>
      new Promise<void>((resolve) => {
        const look = () => {
          if (!err.includes(text)) return;
          child.stderr.off('data', look);
          resolve();
        };
        child.stderr.on('data', look);
      });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    const exit = ended.then((e) => e.code);
    const signal = ended.then((e) => e.signal);
    return { cwd, exit, signal, out: () => out, err: () => err, child, stderrSays };
  }

  it('prints the report over a kline file and writes its picture into CHART_DIR', async () => {
    const cmd = run(['BTCUSDT', '10', '0.5', `file=${DAY_FILE}`]);
    expect(await cmd.exit).toBe(0);
    expect(cmd.err()).toBe('');
    const out = cmd.out();
    expect(out).toContain('🧪 Backtest BTCUSDT 10 × 0.5 % arithmetic, 100.00 USDT a level\n');
    expect(out).toContain('1440 1m candles, 2020-01-01 00:00 → 2020-01-01 23:59 UTC\n');
    expect(out).toMatch(/\nGrid total [+-][\d.]+ USDT \([+-]?[\d.]+ %, APR [+-]?[\d.]+ %\), max drawdown [\d.]+ %\n/);
    expect(out).toMatch(/\nHolding instead [+-][\d.]+ USDT/);
    // CHART_DIR's default, ./charts, in the folder the command ran in.
    const picture = join(cmd.cwd, 'charts', 'backtest-btcusdt-10x0.5-2020-01-01-2020-01-01.png');
    expect(out).toContain(`\npicture: ${picture}\n`);
    expect(readFileSync(picture).subarray(0, 8)).toEqual(PNG_MAGIC);
  });

  it('replays the days of HISTORY_DIR, naming a day without a file', async () => {
    const cmd = run(
      ['BTCUSDT', '10', '0.5', '200', 'from=2020-01-01', 'to=2020-01-02'],
      { HISTORY_DIR: 'hist', CHART_DIR: 'pics' },
      (cwd) => {
        const folder = join(cwd, 'hist', 'spot', 'daily', 'klines', 'BTCUSDT', '1m');
        mkdirSync(folder, { recursive: true });
        copyFileSync(DAY_FILE, join(folder, 'BTCUSDT-1m-2020-01-01.csv'));
      },
    );
    expect(await cmd.exit).toBe(0);
    const out = cmd.out();
    expect(out).toContain(
      '⚠️ No file in hist for 2020-01-02: replayed without ' +
        '(telegrid data fetch BTCUSDT 1m 2020-01-01..2020-01-02 fetches what is missing)\n',
    );
    expect(out).toContain('🧪 Backtest BTCUSDT 10 × 0.5 % arithmetic, 200.00 USDT a level\n');
    expect(out).toContain(`picture: ${join(cmd.cwd, 'pics', 'backtest-btcusdt-10x0.5-2020-01-01-2020-01-01.png')}\n`);
  });

  it('answers a bad argument specifically, exits 2 and writes nothing', async () => {
    const cmd = run(['BTCUSDT', '10', '0.5', 'file=' + DAY_FILE, 'from=2020-1-1']);
    expect(await cmd.exit).toBe(2);
    expect(cmd.out()).toBe('');
    expect(cmd.err()).toBe(
      "telegrid backtest: from= expects a UTC day YYYY-MM-DD, like from=2024-01-31, got '2020-1-1'\n" +
        'e.g. telegrid backtest BTCUSDT 10 0.5 from=2024-01-01 to=2024-01-31\n(telegrid backtest --help says it all)\n',
    );
    expect(existsSync(join(cmd.cwd, 'charts'))).toBe(false);
  });

  it('says a grid too small to place is the AMOUNT, exits 2 and writes nothing', async () => {
    const cmd = run(['BTCUSDT', '10', '0.5', '1', 'file=' + DAY_FILE]);
    expect(await cmd.exit).toBe(2);
    expect(cmd.err()).toContain('telegrid backtest: the grid cannot be placed: ');
    expect(cmd.err()).toContain('(AMOUNT 1.00 USDT a level; an order on BTCUSDT must be worth at least 5.00 USDT)\n');
    expect(existsSync(join(cmd.cwd, 'charts'))).toBe(false);
  });

  it('sweeps levels and spacings and prints the best by total return, holding once', async () => {
    const cmd = run(['BTCUSDT', '--sweep', 'levels=4..5', 'spacing=0.2..0.3', `file=${DAY_FILE}`]);
    expect(await cmd.exit).toBe(0);
    const lines = cmd.out().split('\n');
    expect(lines[0]).toBe(
      '🧪 Sweep BTCUSDT: 4 grids (levels 4..5 by 1, spacing 0.2..0.3 by 0.1 %, arithmetic), 100.00 USDT a level, ' +
        '1440 1m candles, 2020-01-01 00:00 → 2020-01-01 23:59 UTC',
    );
    expect(lines[1]).toBe("Best 4 of 4 by total return (grid profit in USDT; percents of each grid's investment):");
    // Columns as wide as their widest cell, right-aligned, two spaces apart.
    expect(lines[2]).toMatch(/^levels  spacing %  round trips  grid profit +total % +APR % +max DD %$/);
    const rows = lines.slice(3, 7).map((l) => l.trim().split(/\s+/));
    expect(rows.map((r) => `${r[0]}×${r[1]}`).sort()).toEqual(['4×0.2', '4×0.3', '5×0.2', '5×0.3']);
    const totals = rows.map((r) => Number(r[4]));
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    expect(lines[7]).toMatch(/^Holding instead \(the best grid's [\d.]+ USDT\): [+-][\d.]+ USDT/);
    expect(cmd.out()).toMatch(/\npicture of the best: .*backtest-btcusdt-\dx0\.\d-2020-01-01-2020-01-01\.png\n/);
    expect(cmd.err()).toContain('4/4 5 × 0.3 %: done\n');
  });

  it("replays a neutral x3 futures grid over the perpetual's 1m file with the month's funding rates", async () => {
    const cmd = run(['BTCUSDT', '10', '0.5', 'neutral', 'x3', `file=${PERPETUAL_DAY}`, `funding=${FUNDING_MONTH}`]);
    expect(await cmd.exit).toBe(0);
    expect(cmd.err()).toBe('');
    const out = cmd.out();
    expect(out.startsWith(`funding: the rates of ${FUNDING_MONTH}\n`)).toBe(true);
    expect(out).toContain(
      "fees: maker 0.02 %, taker 0.05 %, USD-M's regular tier as the paper futures venue charges (MAKER_FEE and TAKER_FEE are spot's)\n",
    );
    expect(out).toContain('🧪 Backtest BTCUSDT.P 10 × 0.5 % arithmetic, 100.00 USDT a level\n');
    expect(out).toContain('1440 1m candles, 2025-05-05 00:00 → 2025-05-05 23:59 UTC\n');
    // /grid's default margin; the day's two settlements inside it (08:00 and 16:00 UTC) at the file's rates.
    expect(out).toMatch(
      /\nPerpetual neutral x3 isolated, futures wallet [\d.]+ USDT; funding [+-][\d.]+ USDT over 2 settlements \(in the grid total\)/,
    );
    expect(out).toContain('Fees: maker 0.02 %, taker 0.05 %.');
    const picture = join(cmd.cwd, 'charts', 'backtest-btcusdt.p-10x0.5-2025-05-05-2025-05-05.png');
    expect(out).toContain(`\npicture: ${picture}\n`);
    expect(readFileSync(picture).subarray(0, 8)).toEqual(PNG_MAGIC);
  });

  it("reads a futures grid's klines and funding rates from HISTORY_DIR, and says when it settles a constant instead", async () => {
    const put = (cwd: string, from: string, to: string) => {
      mkdirSync(join(cwd, 'hist', to, '..'), { recursive: true });
      copyFileSync(from, join(cwd, 'hist', to));
    };
    const klines = (cwd: string) => put(cwd, PERPETUAL_DAY, 'futures/um/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2025-05-05.csv');
    const args = ['BTCUSDT', '8', '0.25', '200', 'long', 'x5', 'cross', 'from=2025-05-05'];
    const rates = run(args, { HISTORY_DIR: 'hist' }, (cwd) => {
      klines(cwd);
      put(cwd, FUNDING_MONTH, 'futures/um/monthly/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2025-05.csv');
    });
    expect(await rates.exit).toBe(0);
    expect(rates.out()).toContain('funding: 2025-05 rates from hist\n');
    expect(rates.out()).toContain('🧪 Backtest BTCUSDT.P 8 × 0.25 % arithmetic, 200.00 USDT a level\n');
    expect(rates.out()).toContain('\nPerpetual long x5 cross, ');
    const constant = run(args, { HISTORY_DIR: 'hist' }, klines);
    expect(await constant.exit).toBe(0);
    expect(constant.out()).toContain(
      'funding: constant 0.0001 per 8 h (no rate file for these days in hist; ' +
        'telegrid data fetch BTCUSDT 2025-05-05 --kind fundingRate fetches them)\n',
    );
    // Spot's folder is not the perpetual's: no futures file, nothing to replay.
    const none = run(args, { HISTORY_DIR: 'hist' });
    expect(await none.exit).toBe(1);
    expect(none.err()).toContain('telegrid data fetch BTCUSDT 1m 2025-05-05 --futures');
  });

  it('sweeps a geometric futures grid at a given constant funding rate', async () => {
    const cmd = run([
      'BTCUSDT',
      '--sweep',
      'levels=4..5',
      'spacing=0.5',
      'geometric',
      'short',
      'x2',
      'funding-rate=0.0003',
      `file=${PERPETUAL_DAY}`,
    ]);
    expect(await cmd.exit).toBe(0);
    const lines = cmd.out().split('\n');
    expect(lines[0]).toBe('funding: constant 0.0003 per 8 h (funding-rate=)');
    expect(lines[2]).toBe(
      '🧪 Sweep BTCUSDT, short x2 isolated: 2 grids (levels 4..5 by 1, spacing 0.5..0.5 %, geometric), 100.00 USDT a level, ' +
        '1440 1m candles, 2025-05-05 00:00 → 2025-05-05 23:59 UTC',
    );
    expect(cmd.out()).toMatch(/\npicture of the best: .*backtest-btcusdt\.p-\dx0\.5g?\S*-2025-05-05-2025-05-05\.png\n/);
  });

  it('answers a bad leverage word, or xN without a direction, as /grid does, exits 2 and writes nothing', async () => {
    const bad = run(['BTCUSDT', '10', '0.5', 'long', 'x200', `file=${PERPETUAL_DAY}`]);
    expect(await bad.exit).toBe(2);
    expect(bad.out()).toBe('');
    expect(bad.err()).toBe(
      "telegrid backtest: LEVERAGE must be x followed by a whole number from 1 to 125, like x5, got 'x200'.\n" +
        'e.g. telegrid backtest BTCUSDT 10 0.5 neutral x3 from=2025-05-05\n(telegrid backtest --help says it all)\n',
    );
    const alone = run(['BTCUSDT', '10', '0.5', 'x5', `file=${PERPETUAL_DAY}`]);
    expect(await alone.exit).toBe(2);
    expect(alone.out()).toBe('');
    expect(alone.err()).toContain(
      'telegrid backtest: x5 is for futures grids: add long, short or neutral, ' +
        'like telegrid backtest BTCUSDT 10 0.5 neutral x3 from=2025-05-05.\n',
    );
    expect(existsSync(join(alone.cwd, 'charts'))).toBe(false);
    expect(existsSync(join(bad.cwd, 'charts'))).toBe(false);
  });

  it('stops at once on Ctrl-C and writes nothing', async () => {
    const cmd = run(['BTCUSDT', '--sweep', 'levels=4..10', 'spacing=0.2..1.0', `file=${DAY_FILE}`]);
    await cmd.stderrSays('1/63 4 × 0.2 %: done\n');
    cmd.child.kill('SIGINT');
    expect(await cmd.signal).toBe('SIGINT');
    expect(cmd.out()).not.toContain('picture');
    expect(existsSync(join(cmd.cwd, 'charts'))).toBe(false);
  });
});
