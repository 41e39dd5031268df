import { describe, expect, it } from 'vitest';
import { fx } from '../../src/domain/index.js';
import { paperChat } from '../kit/paper-chat.js';

describe('the embedded paper venue with perpetuals', () => {
  it("starts the USD-M wallet at PAPER_FUTURES_WALLET, apart from spot's PAPER_BALANCES", async () => {
    const { app, type } = await paperChat({
      MARKET_SYMBOLS: 'BTCUSDT',
      FUTURES_SYMBOLS: 'BTCUSDT',
      PAPER_BALANCES: 'USDT=700',
      PAPER_FUTURES_WALLET: '2500',
    });
    const hub = app.exchange.embedded!.hub;
    expect(hub.futuresEngine.account().totalWalletBalance).toBe(fx('2500'));
    expect(hub.engine.balances().find((b) => b.asset === 'USDT')?.free).toBe(fx('700'));
    expect(app.kernel.futuresBook.totals().walletBalance).toBe(fx('2500'));
    expect(await type('/pnl', /wallet/i)).toMatch(/wallet[^\n]*2,?500/i);
  });
});
