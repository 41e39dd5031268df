import type { GridStopped, Message, MessageType, OrderOwner, TradingState } from '../domain/index.js';
import type { BusPort } from '../engine/index.js';
import { formatDuration, formatQty, formatQuote, formatSigned } from './format.js';

export interface NotificationOptions {
  /** The quote asset of a symbol; by default read off the symbol's suffix (BTCUSDT → USDT). */
  readonly quoteAssetOf?: (symbol: string) => string | undefined;
}

const QUOTE_SUFFIXES = ['FDUSD', 'USDT', 'USDC', 'TUSD', 'BUSD', 'EUR', 'TRY', 'BRL', 'BTC', 'ETH', 'BNB'];

function guessQuote(symbol: string): string | undefined {
  return QUOTE_SUFFIXES.find((q) => symbol.endsWith(q) && symbol.length > q.length);
}

function owner(o: OrderOwner): string {
  return o.kind === 'grid' ? `grid ${o.gridId}` : 'manual';
}

function stopCause(e: GridStopped): string {
  const at = e.triggerPrice !== undefined ? ` at ${formatQuote(e.triggerPrice)}` : '';
  switch (e.reason) {
    case 'user':
      return 'by you';
    case 'stop_loss':
      return `stop-loss hit${at}`;
    case 'take_profit':
      return `take-profit hit${at}`;
    case 'kill':
      return 'by the kill switch';
    case 'start_failed':
      return 'it could not start';
  }
}

function stateIcon(state: TradingState): string {
  switch (state) {
    case 'ACTIVE':
      return '▶️';
    case 'REDUCING':
      return '⚠️';
    case 'HALTED':
      return '🛑';
  }
}

/** The chat line for an engine event worth telling the owner about; undefined for everything else. */
export function renderEvent(event: Message, options: NotificationOptions = {}): string | undefined {
  const quoteOf = (symbol: string): string => options.quoteAssetOf?.(symbol) ?? guessQuote(symbol) ?? '';
  const unit = (symbol: string): string => {
    const q = quoteOf(symbol);
    return q === '' ? '' : ` ${q}`;
  };
  switch (event.type) {
    case 'OrderFilled': {
      const what = event.complete ? 'Filled' : 'Partly filled';
      const sofar = event.complete ? '' : ` (${formatQty(event.cumQty)} so far)`;
      return (
        `✅ ${what} ${event.side} ${formatQty(event.quantity)} ${event.symbol} @ ${formatQuote(event.price)}${sofar} ` +
        `(fee ${formatQty(event.commission)} ${event.commissionAsset}) · ${owner(event.owner)}`
      );
    }
    case 'OrderDenied': {
      const i = event.intent;
      const px = i.price !== undefined ? ` @ ${formatQuote(i.price)}` : ' at market';
      return `⛔ Risk denied ${i.side} ${formatQty(i.quantity)} ${i.symbol}${px} · ${owner(i.owner)}: ${event.message} (${event.code})`;
    }
    case 'PositionChanged':
      return (
        `📊 ${event.symbol} position ${formatQty(event.quantity)} @ avg ${formatQuote(event.avgCost)} · ` +
        `realized ${formatSigned(event.realizedPnl)} · unrealized ${formatSigned(event.unrealizedPnl)}${unit(event.symbol)}`
      );
    case 'GridRoundTrip':
      return (
        `💰 Grid ${event.gridId} round trip ${formatSigned(event.profit)}${unit(event.symbol)} ` +
        `(buy ${formatQty(event.buyPrice)} → sell ${formatQty(event.sellPrice)}, ` +
        `qty ${formatQty(event.quantity)}, fees ${formatQuote(event.feesQuote)})`
      );
    case 'GridStopped':
      return `⏹ Grid ${event.gridId} on ${event.symbol} stopped: ${stopCause(event)}.`;
    case 'TradingStateChanged':
      return `${stateIcon(event.to)} Trading ${event.to} (was ${event.from}): ${event.reason}`;
    case 'OrderRejected':
      return (
        `❌ Order rejected: ${event.side} ${event.symbol} ${event.clientOrderId} · ` +
        `${owner(event.owner)}: ${event.code}: ${event.message}`
      );
    case 'OrderUnknown':
      return (
        `❓ Order outcome unknown: ${event.side} ${event.symbol} ${event.clientOrderId} · ` +
        `${owner(event.owner)}: ${event.code}: ${event.message}. ` +
        'Checking with the exchange; it will not be sent twice.'
      );
    case 'MarketDataStale':
      return `⚠️ Market data stale on ${event.symbols.join(', ')}: ${event.reason}. New orders on it wait until trades flow again.`;
    case 'ComponentFaulted':
      return (
        `🧯 ${event.component} failed while handling ${event.messageType}: ${event.error}. ` +
        'Trading is HALTED and stays so until telegrid restarts; the log has the details.'
      );
    case 'MarketDataResumed':
      return `✅ Market data back on ${event.symbols.join(', ')} after ${formatDuration(event.gapMs)}.`;
    case 'SubmitOrder':
    case 'PlaceOrder':
    case 'CancelOrder':
    case 'TradeTicked':
    case 'OrderReported':
    case 'OrderSubmissionFailed':
    case 'OrderSent':
    case 'OrderAccepted':
    case 'OrderCanceled':
    case 'OrderExpired':
    case 'GridStarted':
    case 'BalancesReported':
      return undefined;
    default: {
      // Every message type is named above: a new one must be decided on here.
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** The event types `renderEvent` has words for. */
export const NOTIFIED_EVENTS = [
  'OrderFilled',
  'OrderDenied',
  'PositionChanged',
  'GridRoundTrip',
  'GridStopped',
  'TradingStateChanged',
  'MarketDataStale',
  'MarketDataResumed',
  'OrderRejected',
  'OrderUnknown',
  'ComponentFaulted',
] as const satisfies readonly MessageType[];

/** Sends every notifiable event on the bus to `notify` as a chat line; returns the function that stops it. */
export function subscribeNotifications(bus: BusPort, notify: (text: string) => void, options: NotificationOptions = {}): () => void {
  const offs = NOTIFIED_EVENTS.map((type) =>
    bus.on(type, (event) => {
      const text = renderEvent(event, options);
      if (text !== undefined) notify(text);
    }),
  );
  return () => {
    for (const off of offs) off();
  };
}
