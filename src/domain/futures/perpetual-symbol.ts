/**
 * Inside the bot a USD-M perpetual is named `<SYMBOL>.P` (TradingView's name for Binance perpetuals): spot BTCUSDT and
 * the perpetual BTCUSDT.P never share a last price, a book, a position or a risk limit, although Binance calls both
 * BTCUSDT. Only the exchange adapters speak the venue's name; they convert at their edge and nowhere else.
 */
const PERPETUAL_SUFFIX = '.P';

export function perpetualSymbol(venueSymbol: string): string {
  return `${venueSymbol}${PERPETUAL_SUFFIX}`;
}

export function isPerpetual(symbol: string): boolean {
  return symbol.endsWith(PERPETUAL_SUFFIX);
}

/** Binance's own name for the bot's symbol: BTCUSDT for both BTCUSDT and BTCUSDT.P. */
export function venueSymbol(symbol: string): string {
  return isPerpetual(symbol) ? symbol.slice(0, -PERPETUAL_SUFFIX.length) : symbol;
}
