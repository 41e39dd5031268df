import { describe, expect, it } from 'vitest';
import { type FuturesAccountUpdate, type FuturesMarginCall, type Message, ZERO } from '../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../src/engine/index.js';
import type { ExchangeGateway, VenueListener } from '../../src/exchange/index.js';
import { VenueReports } from '../../src/execution/index.js';
import { aReport } from '../kit/builders.js';

/** A venue whose user stream the test speaks for: VenueReports is the unit here, the router has its own tests. */
function streamOnly(): { gateway: ExchangeGateway; listener: () => VenueListener } {
  let heard: VenueListener | undefined;
  const gateway = {
    subscribe: (l: VenueListener) => ((heard = l), () => undefined),
  } as unknown as ExchangeGateway;
  return { gateway, listener: () => heard! };
}

const update = (time: number): FuturesAccountUpdate => ({ reason: 'ORDER', time, balances: [], positions: [] });
const marginCall: FuturesMarginCall = { time: 5, crossWalletBalance: ZERO, positions: [] };

describe('VenueReports with USD-M events', () => {
  it('publishes account updates, margin calls and liquidations; holds the sequenced ones at a restart, never a margin call', async () => {
    const host = new BusHost(new ManualClock(1), new SequentialIds());
    const { gateway, listener } = streamOnly();
    const reports = new VenueReports(gateway);
    host.add(reports);
    const seen: Message[] = [];
    for (const t of ['OrderReported', 'FuturesAccountReported', 'MarginCallReported', 'PositionLiquidated'] as const)
      host.bus.on(t, (m) => void seen.push(m));
    reports.hold();
    await host.start();
    const l = listener();
    const fill = aReport({ symbol: 'BTCUSDT.P', time: 3, clientOrderId: 'tg_F1_B' });
    const { trade: _none, ...orderFacts } = fill;
    const liquidation = {
      ...orderFacts,
      clientOrderId: 'autoclose-1',
      type: 'LIQUIDATION' as const,
      timeInForce: 'IOC' as const,
      avgPrice: ZERO,
      reduceOnly: true,
      positionSide: 'BOTH' as const,
      time: 4,
    };
    l.onExecution(fill);
    l.onFuturesAccount!(update(3));
    l.onMarginCall!(marginCall);
    l.onLiquidation!(liquidation);
    expect(seen.map((m) => m.type)).toEqual(['MarginCallReported']);
    reports.release([aReport({ symbol: 'BTCUSDT.P', time: 2, clientOrderId: 'tg_F0_B' })]);
    expect(seen.map((m) => m.type)).toEqual([
      'MarginCallReported',
      'OrderReported', // REST's, earlier
      'OrderReported', // the stream's fill, then its account update (same ms: the stream's order)
      'FuturesAccountReported',
      'PositionLiquidated',
    ]);
    l.onFuturesAccount!(update(6));
    expect(seen.at(-1)?.type).toBe('FuturesAccountReported');
  });
});
