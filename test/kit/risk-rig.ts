/**
 * The risk gate on a bus of its own, answering SubmitOrder, over a view of the world the test sets as plain maps (the
 * catalog's instruments, last trades, positions, free balances, today's PnL).
 */
import { type Fixed, type Message, type OrderIntent, type OrderRecord, ZERO, catalogInstrument, fx } from '../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../src/engine/index.js';
import { type LastTrade, RiskGate, type RiskLimits, type RiskView, TradingStateMachine } from '../../src/risk/index.js';

/**
 * By default: every catalog symbol is listed, BTCUSDT last traded at 95 000 at time 0 (received then too), nothing is
 * held, 10 000 USDT and 1 BTC are free, today's PnL is zero and no order id is known. `prices` replaces the last trades
 * (symbol → price, at time 0).
 */
export class FakeRiskView implements RiskView {
  readonly trades: Map<string, LastTrade>;
  readonly positions = new Map<string, Fixed>();
  readonly free = new Map<string, Fixed>([
    ['USDT', fx('10000')],
    ['BTC', fx('1')],
  ]);
  pnl = ZERO;
  knowsOrder: ((clientOrderId: string) => boolean) | undefined;
  /** The tracker's open orders, which the gate counts from when its host starts. */
  tracked: readonly OrderRecord[] = [];
  openOrders = (): readonly OrderRecord[] => this.tracked;

  constructor(prices: Readonly<Record<string, string>> = { BTCUSDT: '95000' }) {
    this.trades = new Map(Object.entries(prices).map(([symbol, price]) => [symbol, { price: fx(price), time: 0, receivedAt: 0 }]));
  }

  instrument(symbol: string) {
    return catalogInstrument(symbol);
  }
  lastTrade(symbol: string) {
    return this.trades.get(symbol);
  }
  positionQty(symbol: string) {
    return this.positions.get(symbol) ?? ZERO;
  }
  freeBalance(asset: string) {
    return this.free.get(asset) ?? ZERO;
  }
  dailyPnl() {
    return this.pnl;
  }
}

/** A RiskGate with `limits` over `view`, at time 0; `submit` returns what it answered (PlaceOrder or OrderDenied). */
export function riskGateRig(limits: RiskLimits = {}, view = new FakeRiskView()) {
  const clock = new ManualClock(0);
  const kernel = new BusHost(clock, new SequentialIds());
  const state = new TradingStateMachine(kernel.bus, clock);
  const gate = new RiskGate({ view, limits, state });
  kernel.add(gate);
  const out: Message[] = [];
  kernel.bus.handle('PlaceOrder', (m) => out.push(m));
  kernel.bus.on('OrderDenied', (m) => out.push(m));
  const submit = (intent: OrderIntent): Message[] => {
    out.length = 0;
    kernel.bus.send({ type: 'SubmitOrder', intent });
    return out.slice();
  };
  return { clock, kernel, view, state, gate, out, submit };
}
