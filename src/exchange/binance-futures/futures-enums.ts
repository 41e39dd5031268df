import type {
  FuturesMarginType,
  FuturesOrderType,
  FuturesPositionSide,
  FuturesTimeInForce,
  Side,
  VenueOrderStatus,
} from '../../domain/index.js';
import { Bad } from './wire-readers.js';

export function side(v: unknown): Side {
  if (v === 'BUY' || v === 'SELL') return v;
  throw new Bad(`side ${String(v)} is not BUY or SELL`);
}

/** LIQUIDATION is Binance's own closing order; stop and take-profit types live on the algo endpoints, never ours. */
export function orderType(v: unknown): FuturesOrderType {
  if (v === 'LIMIT' || v === 'MARKET' || v === 'LIQUIDATION') return v;
  throw new Bad(`order type ${String(v)} is not one telegrid trades`);
}

/** True for the order types `orderType` reads; listings skip the rest (an algo order is not the bot's). */
export function isOurOrderType(v: unknown): boolean {
  return v === 'LIMIT' || v === 'MARKET' || v === 'LIQUIDATION';
}

/** GTD (and RPI) are not the bot's; a MARKET order's `f` is GTC on Binance. */
export function timeInForce(v: unknown): FuturesTimeInForce {
  if (v === 'GTC' || v === 'IOC' || v === 'FOK' || v === 'GTX') return v;
  throw new Bad(`timeInForce ${String(v)} is not GTC, IOC, FOK or GTX`);
}

const STATUSES: ReadonlySet<string> = new Set(['NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'REJECTED', 'EXPIRED', 'EXPIRED_IN_MATCH']);

export function status(v: unknown): VenueOrderStatus {
  if (typeof v === 'string' && STATUSES.has(v)) return v as VenueOrderStatus;
  throw new Bad(`order status ${String(v)} is not known`);
}

export function positionSide(v: unknown): FuturesPositionSide {
  if (v === 'BOTH' || v === 'LONG' || v === 'SHORT') return v;
  throw new Bad(`positionSide ${String(v)} is not BOTH, LONG or SHORT`);
}

/** `isolated`/`cross` in positionRisk and the stream, `ISOLATED`/`CROSSED` in requests and symbolConfig (facts A.4). */
export function marginType(v: unknown): FuturesMarginType {
  if (v === 'isolated' || v === 'ISOLATED') return 'ISOLATED';
  if (v === 'cross' || v === 'CROSSED' || v === 'crossed') return 'CROSSED';
  throw new Bad(`marginType ${String(v)} is not isolated or cross`);
}
