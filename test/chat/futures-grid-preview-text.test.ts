import { describe, expect, it } from 'vitest';
import { gridPreviewText } from '../../src/chat/index.js';
import { type Instrument, catalogInstrument, fx } from '../../src/domain/index.js';
import { type FuturesGridTerms, buildFuturesGridPreview } from '../../src/strategy/index.js';
import { btcBrackets } from '../domain/futures/brackets-file.js';

function previewText(futures: FuturesGridTerms, walletBalance = fx('10000')): string {
  const r = buildFuturesGridPreview({
    params: { symbol: 'BTCUSDT', levels: 10, spacingPct: fx('0.5'), amountQuote: fx('100'), spacing: 'arithmetic', futures },
    instrument: catalogInstrument('BTCUSDT') as Instrument,
    referencePrice: fx('100000'),
    makerFee: fx('0.0002'),
    takerFee: fx('0.0005'),
    brackets: btcBrackets(),
    fundingRate: fx('0.0001'),
    fundingIntervalHours: 8,
    walletBalance,
    minLiquidationDistancePct: fx('15'),
  });
  if (!r.ok) throw new Error(r.error.message);
  return gridPreviewText(r.value);
}

describe('a futures grid preview as the owner reads it', () => {
  it('a long grid names its leverage and margin, the opening long, the margin, the liquidation and funding', () => {
    const text = previewText({ mode: 'long', leverage: 5, margin: 'isolated' });
    expect(text).toContain('Long · x5 · isolated margin · USD-M perpetual');
    expect(text).toMatch(/opens a long of 0\.0\d+ BTC at market ≈ 100000\.00 \(taker fee ≈ [\d.]+ USDT\), which its sells close/);
    expect(text).toMatch(/margin needed: [\d.]+ USDT \(the largest one-sided position at x5, fees included\)/);
    expect(text).toMatch(
      /long: at the lowest buy 95000\.00 \([\d.]+ BTC long @ [\d.]+\) it liquidates at [\d.]+, [\d.]+ % below the price now/,
    );
    expect(text).toMatch(/Funding at the coming rate 0\.01 % per 8 h: the opening position pays [\d.]+ USDT; the full position/);
    expect(text).not.toContain('Capital needed');
    expect(text).not.toContain('⚠️');
  });

  it('a neutral grid at x20 isolated warns of levels near liquidation and shows both sides', () => {
    const text = previewText({ mode: 'neutral', leverage: 20, margin: 'isolated' });
    expect(text).toContain('opens no position: buys below go long, sells above go short');
    expect(text).toMatch(/short: at the highest sell 105000\.00 .* it liquidates at [\d.]+, [\d.]+ % above the price now/);
    expect(text).toMatch(/⚠️ \d+ level\(s\) would sit within 15 % of the liquidation price/);
  });

  it('cross margin says what stands behind it; a long the wallet covers has no liquidation price; a short is paid funding', () => {
    const long = previewText({ mode: 'long', leverage: 2, margin: 'cross' });
    expect(long).toContain('cross margin: your 10000.00 USDT stands behind it; other positions are not counted here');
    expect(long).toMatch(/long: at the lowest buy 95000\.00 \([\d.]+ BTC long @ 9\d{4}\.\d+\): no liquidation price, the margin covers it/);
    const short = previewText({ mode: 'short', leverage: 2, margin: 'cross' });
    expect(short).toMatch(/short: at the highest sell 105000\.00 \([\d.]+ BTC short @ 10\d{4}\.\d+\) it liquidates at/);
    expect(short).toContain('the opening position receives');
  });
});
