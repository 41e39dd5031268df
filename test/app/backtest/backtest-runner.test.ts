import { describe, expect, it } from 'vitest';
import { backtestText } from '../../../src/app/backtest/index.js';
import type { BacktestJob } from '../../../src/app/backtest/backtest-job.js';
import { startBacktest } from '../../../src/app/backtest/backtest-runner.js';
import { catalogInstrument, fx } from '../../../src/domain/index.js';
import { historyFolder } from '../../kit/history-days.js';

function job(historyDir: string, from = '2020-01-01'): BacktestJob {
  return {
    request: {
      params: { symbol: 'BTCUSDT', levels: 5, spacingPct: fx('0.2'), amountQuote: fx('100'), spacing: 'arithmetic' },
      instrument: catalogInstrument('BTCUSDT')!,
      interval: '1m',
      fees: { maker: fx('0.001'), taker: fx('0.001') },
      limits: {},
    },
    candles: { kind: 'history', historyDir, range: { from, to: from } },
  };
}

describe('a backtest in its worker thread (the .ts worker loaded through tsx)', () => {
  it('reads the history folder, replays the day, tells its progress and resolves with the report', async () => {
    const seen: number[] = [];
    const task = startBacktest(job(historyFolder()), (done, total) => {
      expect(total).toBe(1440);
      seen.push(done);
    });
    const result = await task.done;
    if (!result.ok) throw new Error(result.error.message);
    expect(seen).toEqual([144, 288, 432, 576, 720, 864, 1008, 1152, 1296, 1440]);
    expect(result.value.report.candles).toBe(1440);
    expect(typeof result.value.report.investment).toBe('bigint');
    expect(backtestText(result.value.report)).toMatch(/^🧪 Backtest BTCUSDT 5 × 0\.2 % arithmetic/);
  });

  it('refuses a day the folder lacks with the fetch command, and cancels on demand', async () => {
    const missing = await startBacktest(job(historyFolder(), '2020-01-02'), () => undefined).done;
    expect(missing.ok ? '' : missing.error.message).toContain('fetch them with: telegrid data fetch BTCUSDT 1m 2020-01-02');
    const task = startBacktest(job(historyFolder()), () => task.cancel());
    const cancelled = await task.done;
    expect(cancelled.ok ? '' : cancelled.error.code).toBe('CANCELLED');
  });
});
