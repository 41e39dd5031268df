import { describe, expect, it } from 'vitest';
import { fx } from '../../src/domain/index.js';
import { signPayload } from '../../src/sandbox/index.js';
import { until } from '../kit/paper-chat.js';
import { testnetSandbox } from '../kit/testnet-app.js';

const KEY = 'testnet-key-0123456789';
const SECRET = 'testnet-secret-0123456789';

describe('TRADING_MODE=testnet', () => {
  it('trades through the adapter and the feed at the configured URLs with the owner key, and runs no sandbox of its own', async () => {
    // Binance's testnet cannot be reached from here: a sandbox stands in for it at the BINANCE_* overrides. The bot keeps
    // its state and order queue in Redis: under a prefix of this test's own, deleted afterwards.
    const { clock, hub, server, start } = await testnetSandbox({ account: { apiKey: KEY, apiSecret: SECRET } });
    const { started, input, screen } = await start();
    if (!started.ok) throw new Error(started.error.message);
    const app = started.value;
    expect(app.exchange.embedded).toBeUndefined();
    expect(screen()).toContain(`testnet on the exchange at ${server.httpBase}`);

    // The market arrives over the feed; the owner asks for a grid and confirms.
    await until(() => server.faults.status().sockets.market > 0);
    let id = 0;
    const trade = (price: string) =>
      hub.trade({ symbol: 'BTCUSDT', price: fx(price), quantity: fx('0.01'), time: clock.now(), tradeId: ++id, isBuyerMaker: false });
    trade('95000');
    await until(() => app.kernel.market.lastPrice('BTCUSDT') !== undefined);
    input.write('/grid BTCUSDT 3 0.5 100\n');
    await until(() => screen().includes('Type confirm or cancel.'));
    input.write('confirm\n');
    await until(() => screen().includes('Grid G1 started'));
    // 3 buys at once; the market buy for the sell side fills, then the 3 sells go out.
    await until(() => app.kernel.tracker.open().filter((o) => o.status === 'accepted').length === 6);

    const query = `symbol=BTCUSDT&timestamp=${clock.now()}`;
    const res = await fetch(`${server.httpBase}/api/v3/openOrders?${query}&signature=${signPayload(SECRET, query)}`, {
      headers: { 'X-MBX-APIKEY': KEY },
    });
    const orders = (await res.json()) as { clientOrderId: string }[];
    expect(orders.map((o) => o.clientOrderId).sort()).toEqual(
      app.kernel.tracker
        .open()
        .map((o) => o.intent.clientOrderId)
        .sort(),
    );
  });
});
