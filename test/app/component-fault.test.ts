import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TradingApp } from '../../src/app/trading-app.js';
import { paperChat, until } from '../kit/paper-chat.js';

let running: TradingApp | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await running?.shutdown();
  running = undefined;
});

describe('a component that throws', () => {
  it('is marked FAULTED and trading halts with a chat message naming it and the message kind; nothing queued is lost', async () => {
    const { app, type, market, screen } = await paperChat();
    running = app;
    await market(0.2);
    await type('/grid BTCUSDT 10 0.5', 'Type confirm or cancel.');
    await type('confirm', 'Grid G1 started');
    await until(() => app.kernel.tracker.openCount('BTCUSDT') === 20);

    // A bug in the grid's fill handler, hit by the first fill.
    const grids = app.kernel.grids as unknown as { onFilled(): void };
    vi.spyOn(grids, 'onFilled').mockImplementationOnce(() => {
      throw new Error('planted bug');
    });
    const mark = screen().length;
    // Market minutes until the first fill (bounded by market time, not by the machine's speed).
    for (let minute = 0; minute < 120 && app.kernel.host.state('grid-strategy') !== 'FAULTED'; minute++) await market(60);
    expect(app.kernel.host.state('grid-strategy')).toBe('FAULTED');
    await until(() => screen().slice(mark).includes('Trading HALTED'));
    const said = screen().slice(mark);
    expect(said).toContain('grid-strategy failed while handling OrderFilled: planted bug');
    expect(said).toMatch(/Trading HALTED \(was ACTIVE\): grid-strategy failed on OrderFilled/);
    // The fill's other consequences were still delivered after the fault: the fill itself and the position it moved.
    expect(said).toMatch(/✅ (Partly filled|Filled) /);
    expect(said).toMatch(/📊 BTCUSDT position/);
    expect(app.kernel.tradingState.state()).toBe('HALTED');
    expect(app.kernel.host.state('portfolio')).not.toBe('FAULTED');

    // Only a restart clears a fault: /resume says why it will not.
    const resume = await type('/resume', 'restarts');
    expect(resume).toContain('grid-strategy failed on OrderFilled');
    expect(app.kernel.tradingState.state()).toBe('HALTED');
  });
});
