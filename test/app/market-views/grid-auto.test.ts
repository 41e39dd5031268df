import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Candle, catalogInstrument, format, fx } from '../../../src/domain/index.js';
import { volatilityAdvice } from '../../../src/indicators/index.js';
import { loadKlines } from '../../kit/candles-file.js';
import { paperChat } from '../../kit/paper-chat.js';

const MONTH = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/data/spot/klines/BTCUSDT-1h-2024-03.csv');
const START = Date.UTC(2024, 2, 1);

const hoursOfFile = (): readonly Candle[] => loadKlines('spot/klines/BTCUSDT-1h-2024-03.csv').candles;

const env = {
  MARKET_DATA: `replay:${MONTH}`,
  MARKET_SYMBOLS: 'BTCUSDT',
  PAPER_BALANCES: 'USDT=100000',
  RISK_MAX_POSITION_NOTIONAL: '1000000',
  RISK_PRICE_BAND_PCT: '50',
  RISK_STALE_AFTER_SECONDS: '7200',
  MARKET_STALE_AFTER_SECONDS: '0',
};

describe('/grid with the hourly volatility', () => {
  it('auto proposes levels and spacing from NATR on the last 48 closed hours and says why; every preview shows the line', async () => {
    const chat = await paperChat(env, START - 1_000);
    await chat.market(60, 30_000); // the first trade: a price, and not an hour of history yet
    expect(await chat.type('/grid BTCUSDT auto', /✗/)).toContain(
      'auto reads the hourly volatility, and volatility needs the last 24 hourly candles (got 0); ' +
        'give LEVELS and SPACING instead, like /grid BTCUSDT 10 0.5',
    );
    await chat.market(3 * 86_400, 900_000);
    const now = chat.app.kernel.host.clock.now();
    const hours = hoursOfFile()
      .filter((c) => c.closeTime < now)
      .slice(-48);
    const price = chat.app.kernel.market.lastPrice('BTCUSDT')!;
    const btc = catalogInstrument('BTCUSDT')!;
    const advice = volatilityAdvice({ hourly: hours, price, tickSize: btc.filters.priceFilter.tickSize, makerFee: fx('0.001') });
    if (!advice.ok) throw new Error(advice.error.message);

    const auto = await chat.type('/grid BTCUSDT auto', /Type confirm or cancel\./);
    expect(auto).toContain(`Auto: ${advice.value.auto.reasoning}`);
    expect(auto).toContain(`${advice.value.auto.levels} levels each side`);
    expect(auto).toContain(`${format(advice.value.auto.spacingPct)}`);
    expect(auto).toMatch(/Volatility: NATR\(14,1h\)/);
    await chat.type('cancel', /ancel/);

    const plain = await chat.type('/grid BTCUSDT 10 0.5', /Type confirm or cancel\./);
    expect(plain).toMatch(/Volatility: NATR\(14,1h\) [\d.]+ %/);
    expect(plain).not.toContain('Auto:');
    await chat.type('cancel', /ancel/);

    expect(await chat.type('/grid BTCUSDT auto 50 0.5', /✗/)).toContain(
      'auto chooses LEVELS and SPACING from the hourly volatility: ' +
        "give at most an AMOUNT after it, like /grid BTCUSDT auto; got '0.5' too.",
    );
  });
});
