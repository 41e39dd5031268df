import { fx } from './fixed.js';
import type { Fixed } from './fixed.js';
import type { Instrument, SymbolFilters } from './instrument.js';

/**
 * Common Binance spot symbols with their exchangeInfo filters (tick, step, notional, order count), so paper mode
 * rounds and rejects exactly as Binance would. Testnet and live load filters from exchangeInfo instead.
 * `demoPrice` only seeds the synthetic market; it is not a quote.
 */
export interface CatalogEntry {
  readonly instrument: Instrument;
  readonly demoPrice: string;
}

function spot(
  symbol: string,
  base: string,
  tick: string,
  step: string,
  maxQty: string,
  demoPrice: string,
  marketMaxQty: string,
): CatalogEntry {
  return {
    demoPrice,
    instrument: {
      symbol,
      baseAsset: base,
      quoteAsset: 'USDT',
      filters: usdtSpotFilters({
        tick: fx(tick),
        step: fx(step),
        maxQty: fx(maxQty),
        marketMaxQty: fx(marketMaxQty),
        maxPrice: fx('1000000'),
      }),
    },
  };
}

/**
 * The filters Binance gives a USDT spot pair, from what differs between pairs (tick, step, the largest quantities and
 * price): 5 USDT minimum notional, 9 million maximum, prices within 0.2×–5× of the average, 200 open orders.
 */
export function usdtSpotFilters(p: {
  readonly tick: Fixed;
  readonly step: Fixed;
  readonly maxQty: Fixed;
  readonly marketMaxQty: Fixed;
  readonly maxPrice: Fixed;
}): SymbolFilters {
  return {
    priceFilter: { minPrice: p.tick, maxPrice: p.maxPrice, tickSize: p.tick },
    lotSize: { minQty: p.step, maxQty: p.maxQty, stepSize: p.step },
    marketLotSize: { minQty: 0n, maxQty: p.marketMaxQty, stepSize: 0n },
    minNotional: { minNotional: fx('5'), applyToMarket: true },
    maxNotional: { maxNotional: fx('9000000'), applyToMarket: false },
    percentPriceBySide: { bidMultiplierUp: fx('5'), bidMultiplierDown: fx('0.2'), askMultiplierUp: fx('5'), askMultiplierDown: fx('0.2') },
    maxNumOrders: 200,
  };
}

export const SPOT_CATALOG: readonly CatalogEntry[] = [
  spot('BTCUSDT', 'BTC', '0.01', '0.00001', '9000', '95000', '100'),
  spot('ETHUSDT', 'ETH', '0.01', '0.0001', '9000', '3400', '2000'),
  spot('BNBUSDT', 'BNB', '0.01', '0.001', '9000', '650', '5000'),
  spot('SOLUSDT', 'SOL', '0.01', '0.001', '9000', '180', '20000'),
  spot('XRPUSDT', 'XRP', '0.0001', '0.1', '9000000', '2.3', '2000000'),
  spot('ADAUSDT', 'ADA', '0.0001', '0.1', '9000000', '0.75', '2000000'),
  spot('DOGEUSDT', 'DOGE', '0.00001', '1', '9000000', '0.32', '20000000'),
  spot('TRXUSDT', 'TRX', '0.0001', '0.1', '9000000', '0.2312', '5000000'),
  spot('LTCUSDT', 'LTC', '0.01', '0.001', '90000', '95', '20000'),
  spot('LINKUSDT', 'LINK', '0.01', '0.01', '90000', '20', '100000'),
];

export function catalogInstrument(symbol: string): Instrument | undefined {
  return SPOT_CATALOG.find((e) => e.instrument.symbol === symbol)?.instrument;
}
