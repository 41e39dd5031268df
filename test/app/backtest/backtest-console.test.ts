import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { historyFolder } from '../../kit/history-days.js';
import { paperChat, until } from '../../kit/paper-chat.js';

/** A month of minutes under a ladder a tick apart: a replay of about a minute, far longer than the commands sent meanwhile. */
const LONG_RUN = '/backtest BTCUSDT 100 0.01 10 from=2020-01-01 to=2020-01-31';
/** Long enough for a replay in a worker thread (its TypeScript is compiled as it loads). */
const WORKER_BOUND = 120_000;

type Chat = Awaited<ReturnType<typeof paperChat>>;

/** Types a line and returns the screen from there on once `expected` shows up, however long a backtest takes. */
async function typed(chat: Chat, line: string, expected: RegExp): Promise<string> {
  const mark = chat.screen().length;
  chat.input.write(`${line}\n`);
  await until(() => expected.test(chat.screen().slice(mark)), WORKER_BOUND);
  return chat.screen().slice(mark);
}

describe('/backtest in the console', () => {
  it(
    'replays a day of the history folder in a worker: progress lines, then the report',
    async () => {
      const chat = await paperChat({ MARKET_SYMBOLS: 'BTCUSDT', HISTORY_DIR: historyFolder() }, undefined, undefined, {
        backtestAnswerWithinMs: 0,
      });
      const seen = await typed(chat, '/backtest BTCUSDT 10 0.2 50 from=2020-01-01', /🧪 Backtest BTCUSDT/);
      expect(seen).toContain('Backtest: reading the candles… · /backtest cancel stops it');
      expect(seen).toContain('Backtest: 50 % (720 of 1,440 candles) · /backtest cancel stops it');
      expect(seen).toContain('Backtest: 100 % (1,440 of 1,440 candles) · /backtest cancel stops it');
      expect(seen.indexOf('Backtest: 100 % (1,440 of 1,440 candles) · done')).toBeLessThan(seen.indexOf('🧪'));
      expect(seen).toContain('Backtest: 100 % (1,440 of 1,440 candles) · done');
      const report = seen.slice(seen.indexOf('🧪'));
      expect(report).toMatch(
        /^🧪 Backtest BTCUSDT 10 × 0\.2 % arithmetic, 50\.00 USDT a level\n1440 1m candles, 2020-01-01 00:00 → 2020-01-01 23:59 UTC/,
      );
      expect(report).toMatch(/Grid total [+-]/);
      expect(report).toMatch(/Holding instead [+-]/);
      // Its picture is saved (a terminal cannot show one) and the path printed.
      await until(() => /🖼 🧪 Backtest BTCUSDT 10 × 0\.2 %.* — saved to .+\.png/.test(chat.screen()), WORKER_BOUND);
      const path = /— saved to (.+\.png)/.exec(chat.screen())![1]!;
      expect(readFileSync(path).subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    },
    3 * WORKER_BOUND,
  );

  it(
    'answers a quick backtest as the reply itself; a missing day names the fetch command; bad words are named',
    async () => {
      const dir = historyFolder();
      const chat = await paperChat({ MARKET_SYMBOLS: 'BTCUSDT', HISTORY_DIR: dir }, undefined, undefined, {
        backtestAnswerWithinMs: WORKER_BOUND,
      });
      const quick = await typed(chat, '/backtest BTCUSDT 5 0.5 geometric from=2020-01-01 to=2020-01-01', /telegrid> $/);
      expect(quick).toMatch(/^🧪 Backtest BTCUSDT 5 × 0\.5 % geometric/);
      expect(quick).not.toContain('Backtest: ');

      expect(await typed(chat, '/backtest BTCUSDT 10 0.5 from=2020-01-02', /telegrid> $/)).toBe(
        `✗ no 1m candles of BTCUSDT for 2020-01-02 in the history folder (${dir}); ` +
          'fetch them with: telegrid data fetch BTCUSDT 1m 2020-01-02\ntelegrid> ',
      );
      const usage =
        'Usage: /backtest SYMBOL LEVELS SPACING [AMOUNT] [geometric] [from=YYYY-MM-DD] [to=YYYY-MM-DD] [interval=1m|1h]\n' +
        '  or /backtest SYMBOL LOWER-UPPER GRIDS [INVEST | AMOUNT/grid] … as /grid takes it\n' +
        '  or /backtest cancel\n' +
        'Example: /backtest BTCUSDT 10 0.5 from=2024-01-01 to=2024-01-31\ntelegrid> ';
      expect(await typed(chat, '/backtest BTCUSDT ten 0.5', /telegrid> $/)).toBe(
        `✗ LEVELS must be a whole number from 1 to 100, got 'ten'.\n${usage}`,
      );
      expect(await typed(chat, '/backtest BTCUSDT 10 0.5 from=2020-02-30 interval=5m', /telegrid> $/)).toBe(
        "✗ interval must be one of 1m, 1h, got '5m'; e.g. interval=1h.\n" + usage,
      );
      expect(await typed(chat, '/backtest BTCUSDT 10 0.5 from=2020-02-30', /telegrid> $/)).toBe(
        '✗ from/to: 2020-02-30 is not a calendar day; days are YYYY-MM-DD (UTC), ' +
          'like /backtest BTCUSDT 10 0.5 from=2024-01-01 to=2024-01-31.\n' +
          usage,
      );
      expect(await typed(chat, '/backtest BTCUSDT 10 0.5 from=2020-01-01 to=2020-03-01', /telegrid> $/)).toContain(
        '✗ from/to: 61 days of 1m candles is more than a backtest replays (at most 31 days at 1m; interval=1h goes further).',
      );
      expect(await typed(chat, '/backtest BTCUSDT 10 0.5 sl=1000', /telegrid> $/)).toContain(
        "✗ unknown option 'sl=1000' (/backtest accepts from=…, to=… and interval=…).",
      );
      expect(await typed(chat, '/backtest cancel', /telegrid> $/)).toBe(
        '✗ no backtest is running in this chat; start one like /backtest BTCUSDT 10 0.5\ntelegrid> ',
      );
    },
    3 * WORKER_BOUND,
  );

  it(
    'keeps answering while one runs (it is in a worker thread), refuses a second, and cancels it',
    async () => {
      const chat = await paperChat({ MARKET_SYMBOLS: 'BTCUSDT', HISTORY_DIR: historyFolder(31) }, undefined, undefined, {
        backtestAnswerWithinMs: 0,
      });
      await typed(chat, LONG_RUN, /Backtest: 10 % \(4,464 of 44,640 candles\)/);
      // Answered while the replay is still going: the report has not come, so the replay is not on this event loop.
      expect(await typed(chat, '/status', /telegrid> $/)).toContain('Trading: ACTIVE');
      expect(chat.screen()).not.toContain('🧪');
      expect(await typed(chat, '/backtest BTCUSDT 5 0.5 from=2020-01-01', /telegrid> $/)).toBe(
        '✗ a backtest is already running in this chat; wait for its report, or stop it with /backtest cancel\ntelegrid> ',
      );
      expect(await typed(chat, '/backtest cancel', /telegrid> $/)).toBe('✖ Backtest cancelled; no report will come.\ntelegrid> ');
      const again = await typed(chat, '/backtest BTCUSDT 5 0.5 from=2020-01-01', /🧪 Backtest BTCUSDT 5 × 0\.5 %/);
      expect(again).not.toContain('already running');
    },
    3 * WORKER_BOUND,
  );

  it(
    "replays the bot's own 1m candles without dates; the /grid preview still asks only confirm or cancel",
    async () => {
      const chat = await paperChat({ MARKET_SYMBOLS: 'BTCUSDT' }, undefined, undefined, { backtestAnswerWithinMs: WORKER_BOUND });
      expect(await typed(chat, '/backtest BTCUSDT 5 0.1', /telegrid> $/)).toBe(
        '✗ the bot has no closed 1m candle of BTCUSDT yet; give from= and to= to replay the history folder, ' +
          'like /backtest BTCUSDT 10 0.5 from=2024-01-01 to=2024-01-07\ntelegrid> ',
      );
      await chat.market(2 * 3600, 600_000);
      const own = await typed(chat, '/backtest BTCUSDT 5 0.1', /telegrid> $/);
      expect(own).toMatch(
        /^🧪 Backtest BTCUSDT 5 × 0\.1 % arithmetic, 100\.00 USDT a level\n120 1m candles, 2025-01-01 00:00 → 2025-01-01 01:59 UTC/,
      );
      expect(await typed(chat, '/grid BTCUSDT 5 0.1', /telegrid> $/)).toMatch(/Type confirm or cancel\.\ntelegrid> $/);
    },
    3 * WORKER_BOUND,
  );
});
