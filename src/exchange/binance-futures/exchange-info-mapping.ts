import { type Instrument, type SymbolFilters, perpetualSymbol } from '../../domain/index.js';
import { Bad, type Mapped, arr, attempt, dec, int, lot, obj, text } from './wire-readers.js';

/** A contract /fapi lists that telegrid leaves out (a perpetual by its bot name, others by Binance's), and why. */
export interface SkippedContract {
  readonly symbol: string;
  readonly reason: string;
}

export interface FuturesExchangeInfo {
  readonly instruments: readonly Instrument[];
  readonly skipped: readonly SkippedContract[];
}

/**
 * /fapi's filters in the domain's shape (facts A.2). MIN_NOTIONAL `notional` applies to MARKET orders too, at the mark
 * price. PERCENT_PRICE bounds every order by mark×up and mark×down whatever its side, so both sides get the same
 * multipliers; the reference price a caller checks it against must be the mark, not the last trade.
 */
function contractFilters(rawFilters: unknown): SymbolFilters {
  let priceFilter: SymbolFilters['priceFilter'] | undefined;
  let lotSize: SymbolFilters['lotSize'] | undefined;
  let marketLotSize: SymbolFilters['marketLotSize'];
  let minNotional: SymbolFilters['minNotional'];
  let percentPriceBySide: SymbolFilters['percentPriceBySide'];
  let maxNumOrders: number | undefined;
  for (const raw of arr(rawFilters, 'filters')) {
    const f = obj(raw, 'filter');
    switch (f.filterType) {
      case 'PRICE_FILTER':
        priceFilter = {
          minPrice: dec(f.minPrice, 'minPrice'),
          maxPrice: dec(f.maxPrice, 'maxPrice'),
          tickSize: dec(f.tickSize, 'tickSize'),
        };
        break;
      case 'LOT_SIZE':
        lotSize = lot(f, 'LOT_SIZE');
        break;
      case 'MARKET_LOT_SIZE':
        marketLotSize = lot(f, 'MARKET_LOT_SIZE');
        break;
      case 'MIN_NOTIONAL':
        minNotional = { minNotional: dec(f.notional, 'MIN_NOTIONAL notional'), applyToMarket: true };
        break;
      case 'PERCENT_PRICE': {
        const up = dec(f.multiplierUp, 'multiplierUp');
        const down = dec(f.multiplierDown, 'multiplierDown');
        percentPriceBySide = { bidMultiplierUp: up, bidMultiplierDown: down, askMultiplierUp: up, askMultiplierDown: down };
        break;
      }
      case 'MAX_NUM_ORDERS':
        maxNumOrders = int(f.limit, 'MAX_NUM_ORDERS limit');
        break;
      default:
        break;
    }
  }
  if (priceFilter === undefined) throw new Bad('no PRICE_FILTER');
  if (lotSize === undefined) throw new Bad('no LOT_SIZE');
  return {
    priceFilter,
    lotSize,
    ...(marketLotSize && { marketLotSize }),
    ...(minNotional && { minNotional }),
    ...(percentPriceBySide && { percentPriceBySide }),
    ...(maxNumOrders !== undefined && { maxNumOrders }),
  };
}

/**
 * GET /fapi/v1/exchangeInfo → the USD-M perpetuals as instruments (`market: 'usdm'`). Delivery contracts and symbols
 * whose filters cannot be read exactly are left out with the reason, not traded on guesses.
 */
export function mapFuturesExchangeInfo(raw: unknown): Mapped<FuturesExchangeInfo> {
  return attempt('futures exchangeInfo', () => {
    const instruments: Instrument[] = [];
    const skipped: SkippedContract[] = [];
    for (const rawSymbol of arr(obj(raw, 'exchangeInfo').symbols, 'symbols')) {
      const s = obj(rawSymbol, 'symbol');
      const venue = text(s.symbol, 'symbol');
      if (s.contractType !== 'PERPETUAL') {
        skipped.push({ symbol: venue, reason: `contractType ${String(s.contractType)} is not PERPETUAL` });
        continue;
      }
      // Inside the bot a perpetual is <SYMBOL>.P, apart from spot's pair of the same Binance name.
      const symbol = perpetualSymbol(venue);
      try {
        instruments.push({
          symbol,
          baseAsset: text(s.baseAsset, 'baseAsset'),
          quoteAsset: text(s.quoteAsset, 'quoteAsset'),
          filters: contractFilters(s.filters),
          market: 'usdm',
        });
      } catch (e) {
        if (!(e instanceof Bad)) throw e;
        skipped.push({ symbol, reason: e.message });
      }
    }
    return { instruments, skipped };
  });
}
