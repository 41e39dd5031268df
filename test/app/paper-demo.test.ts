import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { type PaperApp, startPaperApp } from '../../src/app/paper-app.js';
import { formatQty, formatQuote, formatSigned } from '../../src/chat/index.js';
import { ZERO } from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { signPayload } from '../../src/sandbox/index.js';

/** Waits for a condition that network I/O will make true (loopback HTTP and WebSocket), polling each millisecond. */
async function until(done: () => boolean, bound = 5_000): Promise<void> {
  for (let i = 0; i < bound && !done(); i++) await new Promise<void>((r) => setTimeout(r, 1));
  if (!done()) throw new Error('condition not met');
}

/** The terminal chat exactly as `npm start` builds it with no settings, typed into and read back as text. */
async function demo() {
  const config = loadConfig({});
  if (!config.ok) throw new Error(config.message);
  const clock = new ManualClock(Date.UTC(2025, 0, 1));
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  output.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8')));
  const started = await startPaperApp(config.config, { input, output, clock, log: pino({ level: 'silent' }), terminal: false });
  if (!started.ok) throw new Error(started.error.message);
  const app = started.value;
  const sandbox = app.exchange.embedded!;

  // What the sandbox sent and what reached the bot, so the test knows when the loopback traffic has landed.
  let sentTrades = 0;
  let gotTrades = 0;
  let sentEvents = 0;
  let gotEvents = 0;
  sandbox.hub.onTrade(() => sentTrades++);
  app.engine.kernel.bus.on('TradeTicked', () => gotTrades++);
  sandbox.hub.onVenueEvent(() => sentEvents++);
  app.engine.gateway.subscribe({ onExecution: () => gotEvents++, onBalances: () => gotEvents++ });
  await until(() => sandbox.server.faults.status().sockets.market > 0); // the market feed is subscribed
  const landed = () => gotTrades === sentTrades && gotEvents === sentEvents;

  /** Types a line and returns what the chat printed in answer, once `expected` shows up in it. */
  async function type(line: string, expected: string | RegExp): Promise<string> {
    const mark = screen.length;
    input.write(`${line}\n`);
    const seen = () => screen.slice(mark);
    await until(() => (typeof expected === 'string' ? seen().includes(expected) : expected.test(seen())));
    await settled();
    return seen();
  }

  async function settled(): Promise<void> {
    await until(landed);
    await app.engine.executor.settled();
    await until(landed);
  }

  /** Runs `seconds` of the sandbox's synthetic market, letting every trade and order event land each 100 ms of it. */
  async function market(seconds: number): Promise<void> {
    const end = clock.now() + seconds * 1000;
    while (clock.now() < end) {
      const step = Math.min(end, clock.now() + 100);
      sandbox.tape.pumpUntil(step);
      clock.set(step); // market time passes even when no trade happens in a slice
      await settled();
    }
  }

  /** The sandbox's open orders as any HTTP client sees them on its REST port. */
  async function restOpenOrders(): Promise<string[]> {
    const query = `timestamp=${clock.now()}`;
    const url = `${sandbox.server.httpBase}/api/v3/openOrders?${query}&signature=${signPayload(config.ok ? config.config.SANDBOX_API_SECRET : '', query)}`;
    const res = await fetch(url, { headers: { 'X-MBX-APIKEY': 'telegrid-sandbox-key' } });
    const orders = (await res.json()) as { clientOrderId: string }[];
    return orders.map((o) => o.clientOrderId).sort();
  }
  return { app, clock, type, market, input, restOpenOrders, screen: () => screen };
}

let running: PaperApp | undefined;
afterEach(async () => {
  await running?.shutdown();
  running = undefined;
});

describe('paper demo in the terminal', () => {
  it('previews, confirms, fills, reports consistently and kills, as typed by the owner', async () => {
    const { app, type, market, screen, restOpenOrders } = await demo();
    running = app;
    await market(0.2); // the owner types right away: the first trades are enough for a price

    const preview = await type('/grid BTCUSDT 10 0.5', 'Type confirm or cancel.');
    expect(preview).toMatch(/BTCUSDT/);
    expect(preview.match(/BUY/g)?.length).toBeGreaterThanOrEqual(10);
    expect(preview.match(/SELL/g)?.length).toBeGreaterThanOrEqual(10);
    expect(preview).toMatch(/market/i); // no BTC yet: the sell side is bought at market first

    await type('confirm', 'Grid G1 started');
    await until(() => app.engine.tracker.openCount('BTCUSDT') === 20);
    // Paper mode is Binance's protocols on loopback: any HTTP client sees the bot's orders on the sandbox's REST port.
    expect(await restOpenOrders()).toEqual(app.engine.tracker.open().map((o) => o.intent.clientOrderId).sort());

    // Within one minute of synthetic market time, fills and a grid round trip come back as chat lines.
    const mark = screen().length;
    await market(60);
    const feed = screen().slice(mark);
    expect(feed).toMatch(/✅ Filled (BUY|SELL) [\d.]+ BTCUSDT @/);
    expect(feed).toMatch(/💰 Grid G1 round trip \+/);

    // What the commands say agrees with the engine's books.
    const open = app.engine.tracker.open();
    const orders = await type('/orders', `Open orders: ${open.length}`);
    for (const o of open) expect(orders).toContain(`@ ${formatQuote(o.intent.price!)}`);
    const position = app.engine.portfolio.position('BTCUSDT');
    expect(position && position.quantity > ZERO).toBe(true);
    const positions = await type('/positions', 'BTCUSDT');
    expect(positions).toContain(formatQty(position!.quantity));
    const gridProfit = app.engine.portfolio.pnl().grids[0]!.profit;
    const pnl = await type('/pnl', 'G1');
    expect(pnl).toContain(formatSigned(gridProfit));

    // /kill cancels every open order and says how many.
    const openBefore = app.engine.tracker.openCount();
    await type('/kill', 'Type confirm or cancel.');
    const receipt = await type('confirm', 'Send /resume to trade again.');
    expect(receipt).toContain(`Orders cancelled: ${openBefore}`);
    expect(receipt).toContain('Cancels that failed: 0');
    expect(receipt).toContain('Positions left open: 1'); // the BTC the grid holds is kept, and said so
    expect(await restOpenOrders()).toEqual([]);
    expect(app.engine.tracker.openCount()).toBe(0);
    expect(app.engine.tradingState.state()).toBe('HALTED');
  });

  it('answers a wrong argument with what was wrong, the usage and an example, and places nothing', async () => {
    const { app, type, market } = await demo();
    running = app;
    await market(1);
    const reply = await type('/grid BTCUSDT ten 0.5', 'Example:');
    expect(reply).toMatch(/LEVELS/);
    expect(reply).toMatch(/Usage: \/grid SYMBOL LEVELS SPACING/);
    // Parses, but means something impossible: still the usage and an example.
    const stop = await type('/grid BTCUSDT 10 0.5 sl=200000', 'Example:');
    expect(stop).toMatch(/stop-loss/i);
    expect(stop).toMatch(/Usage: \/grid SYMBOL/);
    await type('confirm', /nothing|no pending|Nothing/i);
    expect(app.engine.tracker.openCount()).toBe(0);
  });

  it('stops when the input ends and shuts down cleanly', async () => {
    const { app, input } = await demo();
    input.end();
    await expect(app.closed).resolves.toBe('end');
    await app.shutdown();
  });
});
