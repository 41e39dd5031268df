import { afterEach, describe, expect, it } from 'vitest';
import { fx } from '../../../src/domain/index.js';
import type { SandboxHub } from '../../../src/sandbox/index.js';
import { historyFolder } from '../../kit/history-days.js';
import { TOKEN, type TelegramChat, owner, ownerDm, pastTrades, telegramChat } from '../../kit/telegram-chat.js';
import { until } from '../../kit/until.js';

/** A month of minutes under a ladder a tick apart: a replay of about a minute, far longer than the commands sent meanwhile. */
const LONG_RUN = '/backtest BTCUSDT 100 0.01 10 from=2020-01-01 to=2020-01-31';
/** Long enough for a replay in a worker thread (its TypeScript is compiled as it loads). */
const WORKER_BOUND = 120_000;

let chat: TelegramChat | undefined;
afterEach(async () => {
  await chat?.close();
  chat = undefined;
});

/** Six hours of the sandbox's tape before the bot starts, a trade a minute: the bot's own 1m candles come from its klines. */
const sixHoursOfTrades = pastTrades({ hours: 6, untilMsAgo: 60_000, everyMs: 60_000, step: fx('25'), cycle: 41, firstId: 700_000 });

async function telegramBot(historyDir: string, beforeStart?: (hub: SandboxHub) => void) {
  chat = await telegramChat({
    env: { HISTORY_DIR: historyDir },
    backtestAnswerWithinMs: 0,
    ...(beforeStart !== undefined ? { beforeStart } : {}),
  });
  const c = chat;
  return {
    fake: c.fake,
    messages: c.messages,
    texts: c.texts,
    photos: c.photos,
    send: (text: string, expected: RegExp) => c.send(text, expected, WORKER_BOUND),
  };
}

describe('/backtest on Telegram (the real grammY bot against the fake Bot API)', () => {
  it(
    'edits one progress line in place, then sends the report; bad words get the specific problem',
    async () => {
      const bot = await telegramBot(historyFolder());
      const report = await bot.send('/backtest BTCUSDT 10 0.2 from=2020-01-01', /^🧪 Backtest/);
      expect(report).toMatch(/^🧪 Backtest BTCUSDT 10 × 0\.2 % arithmetic/);
      expect(report).toContain('1440 1m candles, 2020-01-01 00:00 → 2020-01-01 23:59 UTC');
      // The picture comes with it: candles, the ladder, the fills and the grid's PnL against holding, drawn in the worker.
      await until(() => bot.photos().length === 1, WORKER_BOUND);
      expect(bot.photos()[0]?.caption).toMatch(/^🧪 Backtest BTCUSDT 10 × 0\.2 %, 2020-01-01: grid [-+]?[\d.]+ USDT .*, holding /);
      expect(Buffer.from(bot.photos()[0]!.bytes!).subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      // One progress message, edited in place up to its last line (the edit may land just after the report).
      await until(() => bot.texts().includes('Backtest: 100 % (1,440 of 1,440 candles) · done'), WORKER_BOUND);
      const progress = bot.messages().filter((m) => (m.text ?? '').startsWith('Backtest:'));
      expect(progress).toHaveLength(1);
      expect(progress[0]?.text).toBe('Backtest: 100 % (1,440 of 1,440 candles) · done');
      expect(progress[0]?.edit_date).toBeDefined();

      expect(await bot.send('/backtest BTCUSDT 10 0.5 interval=4h', /✗/)).toBe(
        "✗ interval must be one of 1m, 1h, got '4h'; e.g. interval=1h.\n" +
          'Usage: /backtest SYMBOL LEVELS SPACING [AMOUNT] [geometric] [from=YYYY-MM-DD] [to=YYYY-MM-DD] [interval=1m|1h]\n' +
          '  or /backtest SYMBOL LOWER-UPPER GRIDS [INVEST | AMOUNT/grid] … as /grid takes it\n' +
          '  or /backtest cancel\n' +
          'Example: /backtest BTCUSDT 10 0.5 from=2024-01-01 to=2024-01-31',
      );
    },
    3 * WORKER_BOUND,
  );

  it(
    'answers /status while one runs, refuses a second, cancels it, and tells a missing day with the fetch command',
    async () => {
      const dir = historyFolder(31);
      const bot = await telegramBot(dir);
      await bot.send(LONG_RUN, /^Backtest: \d+ % \([\d,]+ of 44,640 candles\)/);
      // The chat is free and the event loop too: /status is answered while the replay goes on in its worker.
      expect(await bot.send('/status', /^Mode:/)).toContain('Trading: ACTIVE');
      expect(bot.texts().some((t) => t.startsWith('🧪'))).toBe(false);
      expect(await bot.send('/backtest BTCUSDT 5 0.5 from=2020-01-01', /✗/)).toBe(
        '✗ a backtest is already running in this chat; wait for its report, or stop it with /backtest cancel',
      );
      expect(await bot.send('/backtest cancel', /Backtest cancelled/)).toBe('✖ Backtest cancelled; no report will come.');
      // Its progress line says so, rather than still offering to cancel.
      await until(() => bot.texts().some((t) => /^Backtest: \d+ % \([\d,]+ of 44,640 candles\) · cancelled$/.test(t)), WORKER_BOUND);
      expect(await bot.send('/backtest BTCUSDT 5 0.5 from=2020-02-01', /✗ Backtest:/)).toBe(
        `✗ Backtest: no 1m candles of BTCUSDT for 2020-02-01 in the history folder (${dir}); ` +
          'fetch them with: telegrid data fetch BTCUSDT 1m 2020-02-01',
      );
      expect(bot.texts().some((t) => t.startsWith('🧪'))).toBe(false);
    },
    3 * WORKER_BOUND,
  );

  it(
    "tries a /grid preview on the bot's own candles with its button, and the preview can still be confirmed",
    async () => {
      const bot = await telegramBot(historyFolder(), sixHoursOfTrades);
      await until(() => chat!.rig.app.kernel.candles.candles('BTCUSDT', '1m').length > 300, 20_000);
      await bot.send('/grid BTCUSDT 5 0.1', /Confirm/);
      const preview = bot.messages().find((m) => m.reply_markup !== undefined)!;
      const rows = (preview.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;
      expect(rows.map((row) => row.map((b) => b.text))).toEqual([
        ['Confirm', 'Cancel'],
        ['Chart', 'Try it on history'],
      ]);
      const buttons = [...rows[0]!, rows[1]![1]!];
      bot.fake.userTaps(ownerDm, owner, preview.message_id, buttons[2]!.callback_data, TOKEN);
      await until(() => bot.texts().some((t) => t.startsWith('🧪 Backtest BTCUSDT 5 × 0.1 %')), WORKER_BOUND);
      expect(bot.texts().find((t) => t.startsWith('🧪'))).toMatch(/\n3\d\d 1m candles, /);
      bot.fake.userTaps(ownerDm, owner, preview.message_id, buttons[0]!.callback_data, TOKEN);
      await until(() => bot.texts().some((t) => /Grid G1 started/.test(t)), WORKER_BOUND);
      // Confirming took the buttons off; a stale client's tap on the old button runs nothing.
      bot.fake.userTapsForged(ownerDm, owner, preview.message_id, buttons[2]!.callback_data, TOKEN);
      await until(() => bot.texts().includes('✗ This preview is no longer pending; send it again to try it.'), WORKER_BOUND);
    },
    3 * WORKER_BOUND,
  );
});
