import { describe, expect, it } from 'vitest';
import { ProgressFollowUp } from '../../src/chat/follow-up.js';

describe('ProgressFollowUp', () => {
  it('tells its listener only lines newer than the one the reply carried, each once, the latest kept for a late listener', async () => {
    const follow = new ProgressFollowUp('Backtest: reading the candles…', Promise.resolve({ text: 'report' }));
    expect(follow.text()).toBe('Backtest: reading the candles…');
    const heard: string[] = [];
    follow.onProgress((line) => heard.push(line));
    expect(heard).toEqual([]);
    follow.show('Backtest: 10 %');
    follow.show('Backtest: 10 %');
    follow.show('Backtest: 20 %');
    expect(heard).toEqual(['Backtest: 10 %', 'Backtest: 20 %']);
    expect(await follow.done).toEqual({ text: 'report' });

    const late = new ProgressFollowUp('Backtest: 0 %', Promise.resolve(undefined));
    late.text();
    late.show('Backtest: 50 %');
    const lateHeard: string[] = [];
    late.onProgress((line) => lateHeard.push(line));
    expect(lateHeard).toEqual(['Backtest: 50 %']);
  });
});
