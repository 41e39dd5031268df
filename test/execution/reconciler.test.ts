import { describe, expect, it } from 'vitest';
import { aTick, anOrderSent } from '../kit/builders.js';
import { until } from '../kit/until.js';
import { type Message, SPOT_CATALOG, catalogInstrument, fx } from '../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../src/engine/index.js';
import { PaperGateway } from '../../src/exchange/paper/index.js';
import { OrderTracker, Reconciler } from '../../src/execution/index.js';

const instruments = SPOT_CATALOG.map((e) => e.instrument);

/** A venue whose user stream the test can cut: while `deaf`, no report reaches the bot. */
async function setup(includeUnsent = true) {
  const clock = new ManualClock(1_000);
  const kernel = new BusHost(clock, new SequentialIds());
  const venue = new PaperGateway({ instruments, clock, startingBalances: { USDT: fx('10000'), BTC: fx('1') } });
  const tracker = new OrderTracker(catalogInstrument);
  const warnings: string[] = [];
  const reconciler = new Reconciler(venue, tracker, { warn: (_o, msg) => warnings.push(msg) }, 0, includeUnsent);
  kernel.add(tracker).add(reconciler);
  await kernel.start();
  let deaf = false;
  venue.subscribe({ onExecution: (report) => deaf || kernel.bus.publish({ type: 'OrderReported', report }), onBalances: () => {} });
  const events: Message[] = [];
  for (const t of ['OrderAccepted', 'OrderFilled', 'OrderCanceled'] as const) kernel.bus.on(t, (m) => events.push(m));
  venue.onTrade(aTick({ price: fx('50000'), quantity: fx('1') }));
  let tradeId = 1;
  const trade = (price: string, quantity: string) =>
    venue.onTrade(aTick({ price: fx(price), quantity: fx(quantity), time: clock.now(), tradeId: ++tradeId }));
  async function buy(clientOrderId: string, price: string, quantity: string) {
    const owner = { kind: 'manual' } as const;
    kernel.bus.publish(anOrderSent({ clientOrderId, owner, price: fx(price), quantity: fx(quantity) }, clock.now()));
    const r = await venue.placeOrder({
      clientOrderId,
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: fx(price),
      quantity: fx(quantity),
    });
    if (!r.ok) throw new Error(r.error.message);
  }
  return { kernel, venue, tracker, reconciler, events, warnings, trade, buy, deafen: (v: boolean) => (deaf = v) };
}

const fills = (events: Message[]) => events.flatMap((e) => (e.type === 'OrderFilled' ? [[e.clientOrderId, e.quantity, e.cumQty]] : []));

describe('reconciler', () => {
  it('books the fills the stream missed, once, oldest first, after fills it did hear', async () => {
    const { kernel, tracker, events, trade, buy, deafen, reconciler } = await setup();
    await buy('a', '49900', '0.003');
    trade('49899', '0.001'); // heard
    deafen(true);
    trade('49899', '0.001'); // missed
    trade('49899', '1'); // missed, completes the order
    expect(fills(events)).toEqual([['a', fx('0.001'), fx('0.001')]]);

    kernel.bus.publish({ type: 'MarketDataResumed', symbols: ['BTCUSDT'], gapMs: 1, time: 1_000 });
    await reconciler.reconcile();
    await reconciler.reconcile();
    expect(fills(events)).toEqual([
      ['a', fx('0.001'), fx('0.001')],
      ['a', fx('0.001'), fx('0.002')],
      ['a', fx('0.001'), fx('0.003')],
    ]);
    expect(tracker.get('a')).toMatchObject({ status: 'filled', filledQty: fx('0.003'), filledQuote: fx('149.7') });
  });

  it('settles orders that ended unheard (canceled) and leaves resting ones as they are', async () => {
    const { venue, tracker, events, buy, deafen, reconciler } = await setup();
    await buy('gone', '49000', '0.001');
    await buy('rests', '48000', '0.001');
    deafen(true);
    await venue.cancelOrder('BTCUSDT', 'gone');
    await reconciler.reconcile();
    expect(tracker.get('gone')?.status).toBe('canceled');
    expect(tracker.get('rests')?.status).toBe('accepted');
    expect(events.filter((e) => e.type === 'OrderCanceled').map((e) => e.clientOrderId)).toEqual(['gone']);
    expect(fills(events)).toEqual([]);
  });

  it('skips an order the venue does not know and says why when it cannot read the venue', async () => {
    const { kernel, venue, tracker, warnings, reconciler } = await setup();
    kernel.bus.publish(anOrderSent({ clientOrderId: 'ghost', owner: { kind: 'manual' }, price: fx('1'), quantity: fx('1') }, 1));
    await reconciler.reconcile();
    expect(tracker.get('ghost')?.status).toBe('new');
    venue.openOrders = async () => ({ ok: false, error: { kind: 'retryable', code: 'DOWN', message: 'venue down' } });
    await reconciler.reconcile();
    expect(warnings).toEqual(['reconciliation skipped: open orders unreadable: venue down']);
  });

  it('runs one more pass for calls that arrive while a pass is out', async () => {
    const { venue, reconciler, buy } = await setup();
    await buy('x', '49000', '0.001');
    let asked = 0;
    const original = venue.openOrders.bind(venue);
    venue.openOrders = async (symbol?: string): Promise<Awaited<ReturnType<typeof original>>> => {
      asked++;
      return original(symbol);
    };
    const first = reconciler.reconcile();
    const second = reconciler.reconcile();
    const third = reconciler.reconcile();
    await Promise.all([first, second, third]);
    expect(asked).toBe(2);
  });

  it('also catches up on its own every so often while orders are open, without a market-data event', async () => {
    const clock = new ManualClock(1_000);
    const kernel = new BusHost(clock, new SequentialIds());
    const venue = new PaperGateway({ instruments, clock, startingBalances: { USDT: fx('10000') } });
    const tracker = new OrderTracker(catalogInstrument);
    const reconciler = new Reconciler(venue, tracker, { warn: () => undefined }, 30_000);
    kernel.add(tracker).add(reconciler);
    const filled: string[] = [];
    kernel.bus.on('OrderFilled', (m) => filled.push(m.clientOrderId));
    const tick = (price: string) => {
      const t = aTick({ price: fx(price), quantity: fx('1'), time: clock.now(), tradeId: clock.now() });
      venue.onTrade(t); // the venue fills, but no report reaches the bot: its user stream is down
      kernel.bus.publish({ type: 'TradeTicked', tick: t });
    };
    tick('50000');
    kernel.bus.publish(
      anOrderSent({ clientOrderId: 'b', owner: { kind: 'manual' }, price: fx('49900'), quantity: fx('0.001') }, clock.now()),
    );
    await venue.placeOrder({
      clientOrderId: 'b',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: fx('49900'),
      quantity: fx('0.001'),
    });
    tick('50000'); // an order is open: a first pass runs now and finds nothing missing
    await reconciler.stop();
    clock.advance(10_000);
    tick('49800'); // fills b at the venue, unheard; the next pass is not due for another 20 s
    await reconciler.stop();
    expect(filled).toEqual([]);
    clock.advance(30_000);
    tick('49800');
    await reconciler.stop();
    expect(filled).toEqual(['b']);
  });

  it('fetches the trades a late report claims (a placement killed with its worker), and waits for the stream otherwise', async () => {
    // The pipeline's reconciler: 'new' orders are the executor's to report.
    const { kernel, venue, tracker, reconciler, events, buy, trade, deafen } = await setup(false);
    deafen(true); // placed and filled by a process that died before it heard either
    await buy('a', '50000', '0.002');
    trade('49999', '1');
    deafen(false);
    const asked = await venue.getOrder('BTCUSDT', 'a');
    if (!asked.ok || asked.value === undefined) throw new Error('the venue lost the order');
    expect(asked.value.status).toBe('FILLED');

    // The executor's own answer: its trades are on their way on the stream, so the tracker holds it back.
    kernel.bus.publish({ type: 'OrderReported', report: asked.value });
    await reconciler.reconcile(); // and a routine pass leaves queued orders to the executor
    expect(tracker.get('a')?.status).toBe('new');

    // Read back after a restart (or asked by a re-run): nothing will stream them again, so they are fetched.
    kernel.bus.publish({ type: 'OrderReported', report: asked.value, late: true });
    await until(() => tracker.get('a')?.status === 'filled');
    expect(fills(events)).toEqual([['a', fx('0.002'), fx('0.002')]]);
    expect(tracker.get('a')).toMatchObject({ filledQty: fx('0.002'), filledQuote: fx('100') });
  });
});
