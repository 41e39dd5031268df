import { afterEach, describe, expect, it } from 'vitest';
import type { TradingApp } from '../../src/app/trading-app.js';
import { type Instrument, catalogInstrument, fx } from '../../src/domain/index.js';
import { SandboxHub, type SandboxServer, startSandboxServer } from '../../src/sandbox/index.js';
import { paperChat, until } from '../kit/paper-chat.js';

let app: TradingApp | undefined;
let upstream: SandboxServer | undefined;
afterEach(async () => {
  await app?.shutdown();
  await upstream?.close();
  app = undefined;
  upstream = undefined;
});

describe('MARKET_DATA=binance', () => {
  it("relays Binance's public trades into the paper sandbox, where they fill the bot's orders", async () => {
    // Binance's public streams cannot be reached from here: a second sandbox plays them at BINANCE_PUBLIC_WS.
    const start = Date.UTC(2025, 0, 1);
    const binance = new SandboxHub({
      instruments: [catalogInstrument('BTCUSDT') as Instrument],
      account: { apiKey: 'public', apiSecret: 'public-secret' },
      now: () => start,
    });
    upstream = await startSandboxServer({ hub: binance });
    const chat = await paperChat({ MARKET_DATA: 'binance', BINANCE_PUBLIC_WS: upstream.wsBase, MARKET_SYMBOLS: 'BTCUSDT' }, start);
    app = chat.app;
    expect(app.exchange.embedded?.live).toBeDefined();
    await until(() => upstream!.faults.status().sockets.market > 0); // the relay is subscribed

    let id = 0;
    const binanceTrade = (price: string) =>
      binance.trade({ symbol: 'BTCUSDT', price: fx(price), quantity: fx('1'), time: start, tradeId: ++id, isBuyerMaker: true });
    binanceTrade('95000');
    await until(() => app!.kernel.market.lastPrice('BTCUSDT') === fx('95000'));

    await chat.type('/grid BTCUSDT 2 0.5 100', 'Type confirm or cancel.');
    await chat.type('confirm', 'Grid G1 started');
    const buy = app.kernel.tracker.open().find((o) => o.intent.side === 'BUY' && o.intent.price === fx('94525'));
    expect(buy).toBeDefined();
    binanceTrade('94500'); // trades through the grid's first buy level (0.00105 sized up for the fee in base)
    await until(() => chat.screen().includes('✅ Filled BUY 0.00106 BTCUSDT @ 94525.00'));
  });
});
