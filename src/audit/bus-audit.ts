import { type EngineEvent, format } from '../domain/index.js';
import type { ObserverPort } from '../engine/index.js';
import type { AuditEntry } from './audit-entry.js';
import type { AuditTrail } from './audit-trail.js';

/** What the bot did on the owner's behalf, as audit entries; undefined for an event the trail does not keep. */
function entryOf(event: EngineEvent): AuditEntry | undefined {
  switch (event.type) {
    case 'OrderSent': {
      const { intent } = event;
      const owner = intent.owner.kind === 'grid' ? `grid ${intent.owner.gridId}` : 'manual';
      const price = intent.price === undefined ? {} : { price: format(intent.price) };
      const order = { type: intent.type, ...price, quantity: format(intent.quantity), owner };
      return { kind: 'order', event: 'sent', clientOrderId: event.clientOrderId, symbol: event.symbol, side: event.side, order };
    }
    case 'OrderCanceled':
      return {
        kind: 'order',
        event: 'canceled',
        clientOrderId: event.clientOrderId,
        symbol: event.symbol,
        side: event.side,
        reason: event.reason,
      };
    case 'OrderRejected':
    case 'OrderUnknown': {
      const kind = event.type === 'OrderRejected' ? 'rejected' : 'unknown';
      const reason = `${event.code}: ${event.message}`;
      return { kind: 'order', event: kind, clientOrderId: event.clientOrderId, symbol: event.symbol, side: event.side, reason };
    }
    case 'OrderExpired':
      return { kind: 'order', event: 'expired', clientOrderId: event.clientOrderId, symbol: event.symbol, side: event.side };
    case 'OrderSubmissionFailed':
      return {
        kind: 'order',
        event: 'not_placed',
        clientOrderId: event.clientOrderId,
        reason: `${event.outcome} ${event.code}: ${event.message}`,
      };
    case 'GridStarted':
      return { kind: 'grid', event: 'started', gridId: event.gridId, symbol: event.symbol, orders: event.orders };
    case 'GridStopped':
      return { kind: 'grid', event: 'stopped', gridId: event.gridId, symbol: event.symbol, reason: event.reason };
    case 'TradingStateChanged':
      return { kind: 'state', from: event.from, to: event.to, reason: event.reason };
    case 'ComponentFaulted':
      return { kind: 'fault', component: event.component, messageType: event.messageType, error: event.error };
    default:
      return undefined;
  }
}

const AUDITED = [
  'OrderSent',
  'OrderCanceled',
  'OrderRejected',
  'OrderUnknown',
  'OrderExpired',
  'OrderSubmissionFailed',
  'GridStarted',
  'GridStopped',
  'TradingStateChanged',
  'ComponentFaulted',
] as const satisfies readonly EngineEvent['type'][];

/**
 * Writes every order action, grid start and stop, trading state change and fault on the bus to the trail (fills are the
 * exchange's doing and are in the fill journal). `record` never throws, so the bus never sees a fault from here.
 * Returns the function that stops it.
 */
export function auditBus(bus: ObserverPort, trail: AuditTrail): () => void {
  const offs = AUDITED.map((type) =>
    bus.on(type, (event) => {
      const entry = entryOf(event);
      if (entry) trail.record(entry);
    }),
  );
  return () => offs.forEach((off) => off());
}
