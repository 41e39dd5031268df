import type { BacktestView, TradingServices } from '../chat/index.js';
import { type Result, failure, ok } from '../domain/index.js';
import { type BacktestJob, type BacktestOutcome, type BacktestTask, backtestText, startBacktest } from './backtest/index.js';
import type { TradingKernel } from './trading-kernel.js';

export interface BacktestSetup {
  /** HISTORY_DIR: where `telegrid data fetch` keeps the days from=/to= replay. */
  readonly historyDir: string;
  /** How long a command waits for a backtest before it answers with a progress line instead (default 2 s). */
  readonly answerWithinMs?: number;
}

const DEFAULT_ANSWER_WITHIN_MS = 2_000;

/** The report's text, with what the history folder lacked above it. */
function viewOf(outcome: BacktestOutcome, historyDir: string): BacktestView {
  const { report, missingDays, missingCandles } = outcome;
  const notes: string[] = [];
  if (missingDays.length > 0) {
    const shown = missingDays.length > 5 ? `${missingDays.slice(0, 5).join(', ')}, …` : missingDays.join(', ');
    notes.push(
      `⚠️ ${missingDays.length} day(s) without a file in ${historyDir} were left out (${shown}); ` +
        `fetch them with: telegrid data fetch ${report.symbol} ${report.interval} ${missingDays[0]}..${missingDays.at(-1)}`,
    );
  }
  if (missingCandles > 0) notes.push(`⚠️ ${missingCandles} candles are missing inside the files (the exchange's own gaps).`);
  const text = [backtestText(report), ...notes].join('\n');
  return outcome.picture === undefined ? { text } : { text, photo: outcome.picture };
}

/**
 * `/backtest`: a grid replayed in a worker thread (backtest/backtest-runner.ts) over the history folder's candles or the
 * bot's own, one at a time per chat. The running ones are held here, by chat, until they end or are cancelled.
 */
export function backtestViews(kernel: TradingKernel, setup: BacktestSetup): Pick<TradingServices, 'backtest' | 'cancelBacktest'> {
  const running = new Map<string, BacktestTask>();
  const answerWithinMs = setup.answerWithinMs ?? DEFAULT_ANSWER_WITHIN_MS;

  /** Where the candles come from: the history folder's days, or the bot's own closed candles at the interval. */
  const candlesOf = (symbol: string, ask: Parameters<NonNullable<TradingServices['backtest']>>[1]): Result<BacktestJob['candles']> => {
    if (ask.days !== undefined) return ok({ kind: 'history', historyDir: setup.historyDir, range: ask.days });
    const now = kernel.host.clock.now();
    const own = kernel.candles.candles(symbol, ask.interval).filter((c) => c.closeTime < now);
    if (own.length === 0)
      return failure(
        'NO_HISTORY',
        `the bot has no closed ${ask.interval} candle of ${symbol} yet; give from= and to= to replay the history folder, ` +
          `like /backtest ${symbol} 10 0.5 from=2024-01-01 to=2024-01-07`,
      );
    return ok({ kind: 'given', candles: own });
  };

  return {
    backtest(chatId, ask, progress) {
      if (running.has(chatId))
        return failure(
          'BACKTEST_RUNNING',
          'a backtest is already running in this chat; wait for its report, or stop it with /backtest cancel',
        );
      const { params } = ask;
      if (params.futures !== undefined) return failure('INVALID_BACKTEST', 'backtests replay spot grids only for now');
      const instrument = kernel.instruments.get(params.symbol);
      if (instrument === undefined) return failure('UNKNOWN_SYMBOL', `${params.symbol} is not traded by this bot`);
      const candles = candlesOf(params.symbol, ask);
      if (!candles.ok) return candles;
      const job: BacktestJob = {
        request: { params, instrument, interval: ask.interval, fees: kernel.fees, limits: kernel.limits },
        candles: candles.value,
      };
      const task = startBacktest(job, progress);
      running.set(chatId, task);
      const done = task.done.then((result): Result<BacktestView> => {
        if (running.get(chatId) === task) running.delete(chatId);
        return result.ok ? ok(viewOf(result.value, setup.historyDir)) : result;
      });
      return ok({ done, answerWithinMs });
    },

    cancelBacktest(chatId) {
      const task = running.get(chatId);
      if (task === undefined) return false;
      running.delete(chatId);
      task.cancel();
      return true;
    },
  };
}
