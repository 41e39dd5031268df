import { ZERO } from '../domain/index.js';
import type { GridStopped, GridTrailed, Message, MessageType, OrderOwner, TradingState } from '../domain/index.js';
import type { ObserverPort } from '../engine/index.js';
import { KILL_SWITCH_REASON } from '../risk/index.js';
import { formatDuration, formatQty, formatQuote, formatSigned } from './format.js';
import type { FillFacts, FundingFacts, NotificationKind, TrailFacts } from './outbox/notification.js';
import { fundingSettledText, liquidatedText, marginCallText, futuresPositionText } from './futures-texts.js';

/** A symbol's quote asset, from the exchange's own listing (never guessed from the symbol's letters). */
export type QuoteAssetOf = (symbol: string) => string | undefined;

/** What the owner is told about an event: its kind (pace, level, urgency), its text, and the exact figures of a fill. */
export interface Described {
  readonly kind: NotificationKind;
  readonly text: string;
  /** Fills of the same symbol merge into one digest line. */
  readonly symbol?: string;
  readonly fill?: FillFacts;
  /** A trailing move: a run of them merges into one digest line per grid. */
  readonly trail?: TrailFacts;
  /** A funding settlement: a run of them merges into one digest line per symbol. */
  readonly funding?: FundingFacts;
  /** Overrides the kind's default (kill, denial and unknown_order are urgent). */
  readonly urgent?: boolean;
}

/** Where described events go: the console prints the text, the Telegram outbox queues the note for each allowed chat. */
export interface Notifier {
  notify(note: Described): void;
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
    case 'liquidated':
      return `its position was liquidated by the exchange${at}; its orders are canceled and nothing new is placed`;
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

/**
 * The one describer: every message the owner hears about, as a notification (kind, urgency, text, the exact figures),
 * and undefined for every other. Exhaustive: a new message type must be decided on here.
 */
export function describeEvent(event: Message, quoteAssetOf: QuoteAssetOf): Described | undefined {
  const text = textOf(event, quoteAssetOf);
  if (text === undefined) return undefined;
  switch (event.type) {
    case 'OrderFilled': {
      const quoteAsset = quoteAssetOf(event.symbol);
      const fill: FillFacts = {
        side: event.side,
        quantity: event.quantity,
        quote: event.quote,
        ...(quoteAsset !== undefined ? { quoteAsset } : {}),
      };
      return { kind: 'fill', text, symbol: event.symbol, fill };
    }
    case 'OrderDenied':
      // A grid's refusals are told by the grid itself: its opening ones in the start's answer, a passing one as a level
      // waiting in /grids, a lasting one once per level (GridLevelRefused, urgent). Its raw denials stay routine.
      return { kind: 'denial', text, symbol: event.intent.symbol, ...(event.intent.owner.kind === 'grid' ? { urgent: false } : {}) };
    case 'PositionChanged':
      return { kind: 'position', text, symbol: event.symbol };
    case 'GridRoundTrip':
      return { kind: 'round_trip', text, symbol: event.symbol };
    case 'OrderUnknown':
      return { kind: 'unknown_order', text, symbol: event.symbol };
    case 'OrderRejected':
      return { kind: 'error', text, symbol: event.symbol };
    case 'MarketDataStale':
    case 'MarketDataResumed':
      return { kind: 'data', text };
    case 'ComponentFaulted':
      return { kind: 'state', text, urgent: true };
    case 'TradingStateChanged':
      // A halt is news the owner must not find under a pile of fills; the kill switch's own acknowledgement tells its halt.
      return { kind: 'state', text, urgent: event.to === 'HALTED' && !event.reason.startsWith(KILL_SWITCH_REASON) };
    case 'GridStopped':
    case 'GridStarted':
      return { kind: 'state', text, symbol: event.symbol };
    case 'GridLevelRefused':
      return { kind: 'error', text, symbol: event.symbol, urgent: true };
    case 'GridTrailed': {
      const trail: TrailFacts = { gridId: event.gridId, direction: event.direction, lowPrice: event.lowPrice, highPrice: event.highPrice };
      return { kind: 'state', text, symbol: event.symbol, trail };
    }
    case 'FuturesPositionChanged':
      // A position is a snapshot: the digest keeps the latest per symbol. The venue's own change is news, not routine.
      return { kind: 'position', text, symbol: event.symbol, ...(event.cause === 'fill' ? {} : { urgent: true }) };
    case 'FundingSettled':
      return { kind: 'position', text, symbol: event.symbol, funding: { amount: event.amount, asset: quoteAssetOf(event.symbol) ?? '' } };
    case 'MarginCallReported':
      return { kind: 'error', text, urgent: true };
    case 'PositionLiquidated':
      // As urgent as the kill receipt: the venue closed a position at a loss.
      return { kind: 'error', text, symbol: event.report.symbol, urgent: true };
    default:
      return { kind: 'state', text };
  }
}

/** The chat line for an event worth telling the owner about; undefined for everything else. */
export function renderEvent(event: Message, quoteAssetOf: QuoteAssetOf): string | undefined {
  return describeEvent(event, quoteAssetOf)?.text;
}

function textOf(event: Message, quoteAssetOf: QuoteAssetOf): string | undefined {
  const unit = (symbol: string): string => {
    const q = quoteAssetOf(symbol);
    return q === undefined || q === '' ? '' : ` ${q}`;
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
    case 'GridLevelRefused': {
      const px = event.price !== undefined ? ` @ ${formatQuote(event.price)}` : '';
      const qty = event.quantity !== undefined ? ` ${formatQty(event.quantity)}` : '';
      return (
        `🚫 Grid ${event.gridId} level ${event.level > 0 ? `+${event.level}` : event.level} ${event.side}${qty} ${event.symbol}${px} ` +
        `was not placed: ${event.code}: ${event.message}. The level stays empty (not retried); ` +
        `/grids shows the grid, /stop ${event.gridId} ends it.`
      );
    }
    case 'MarketDataResumed':
      return `✅ Market data back on ${event.symbols.join(', ')} after ${formatDuration(event.gapMs)}.`;
    case 'GridStarted':
      // Only a grid that waited for its trigger is news here: a grid started at once is answered in the chat already.
      return event.triggeredAt === undefined
        ? undefined
        : `🎯 Grid ${event.gridId} on ${event.symbol}: the market traded at ${formatQuote(event.triggeredAt)}, through its ` +
            `trigger${event.waitingFor !== undefined ? ` ${formatQuote(event.waitingFor)}` : ''}; placing its ${event.orders} orders now.`;
    case 'GridTrailed':
      return trailText(event);
    case 'FuturesPositionChanged':
      return futuresPositionText(event, unit(event.symbol));
    case 'FundingSettled':
      return fundingSettledText(event, unit(event.symbol));
    case 'MarginCallReported':
      return marginCallText(event);
    case 'PositionLiquidated':
      return liquidatedText(event, unit(event.report.symbol));
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
    case 'BalancesReported':
    // USD-M: every tick and raw account report is in the futures book; the owner hears its FuturesPositionChanged.
    case 'MarkPriceTicked':
    case 'FuturesAccountReported':
      return undefined;
    default: {
      // Every message type is named above: a new one must be decided on here.
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** The event types `describeEvent` has words for. */
export const NOTIFIED_EVENTS = [
  'OrderFilled',
  'OrderDenied',
  'PositionChanged',
  'GridRoundTrip',
  'GridStopped',
  'GridStarted',
  'TradingStateChanged',
  'MarketDataStale',
  'MarketDataResumed',
  'OrderRejected',
  'OrderUnknown',
  'ComponentFaulted',
  'GridLevelRefused',
  'GridTrailed',
  'FuturesPositionChanged',
  'FundingSettled',
  'MarginCallReported',
  'PositionLiquidated',
] as const satisfies readonly MessageType[];

/** "↗ Grid G1 on BTCUSDT trailed up (move 3) at 64210.00: cancelled the lowest buy, market buy 0.00157 for the sell at …". */
function trailText(e: GridTrailed): string {
  const arrow = e.direction === 'up' ? '↗' : '↘';
  const side = (s: 'BUY' | 'SELL') => (s === 'BUY' ? 'buy' : 'sell');
  // Only trailing up buys at market: the new top line's sell is placed once that buy has filled.
  const placed = e.placed
    .map((p) =>
      p.type === 'MARKET'
        ? `market buy ${formatQty(p.quantity)} for the sell at ${formatQuote(e.highPrice)}`
        : `${side(p.side)} ${formatQty(p.quantity)} at ${formatQuote(p.price ?? ZERO)}`,
    )
    .join(', ');
  const cancelled = e.canceled !== undefined ? `cancelled ${e.direction === 'up' ? 'the lowest buy' : 'the highest sell'}, ` : '';
  return (
    `${arrow} Grid ${e.gridId} on ${e.symbol} trailed ${e.direction} (move ${e.moves}) at ${formatQuote(e.price)}: ` +
    `${cancelled}${placed}; it now spans ${formatQuote(e.lowPrice)}–${formatQuote(e.highPrice)}.`
  );
}

/** Hands every notifiable event on the bus, described, to `notifier`; returns the function that stops it. */
export function followEvents(bus: ObserverPort, notifier: Notifier, quoteAssetOf: QuoteAssetOf): () => void {
  const offs = NOTIFIED_EVENTS.map((type) =>
    bus.on(type, (event) => {
      const note = describeEvent(event, quoteAssetOf);
      if (note !== undefined) notifier.notify(note);
    }),
  );
  return () => {
    for (const off of offs) off();
  };
}
