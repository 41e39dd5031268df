/**
 * What the sandbox exchange itself saw during a season replay, recorded from its venue events (never from the bot):
 * every order it accepted, every fill with its commission. The season's invariants compare the bot against this.
 */
import { type Fixed, type Side, ZERO, feeInQuote, gridIdOf, type Instrument } from '../../src/domain/index.js';
import type { SandboxHub } from '../../src/sandbox/index.js';

/** One order as the exchange accepted it. */
export interface LedgerOrder {
  readonly clientOrderId: string;
  readonly gridId: string | undefined;
  readonly side: Side;
  readonly type: string;
  readonly price: Fixed;
  readonly quantity: Fixed;
  readonly time: number;
  /** Position in the exchange's own sequence of accepted orders and fills, for lineage (a re-arm follows its fill). */
  readonly seq: number;
}

/** One trade of one of the account's orders. */
export interface LedgerFill {
  readonly clientOrderId: string;
  readonly gridId: string | undefined;
  readonly side: Side;
  readonly type: string;
  readonly price: Fixed;
  readonly quantity: Fixed;
  readonly commission: Fixed;
  readonly commissionAsset: string;
  /** The commission valued in quote at the fill price (half-even), as Binance's fee in base is usually read. */
  readonly feeQuote: Fixed;
  readonly time: number;
  readonly seq: number;
  /** A perpetual's fill: the venue's pre-fee realized PnL of the part that reduced the position. */
  readonly realizedPnl?: Fixed;
}

export class SeasonLedger {
  readonly orders = new Map<string, LedgerOrder>();
  /** How many times the exchange accepted each client order id (every count must be 1). */
  readonly accepted = new Map<string, number>();
  readonly fills: LedgerFill[] = [];
  private seq = 0;
  private readonly off: () => void;
  private readonly offFutures: () => void;

  constructor(
    hub: SandboxHub,
    private readonly instrument: Instrument,
  ) {
    this.off = hub.onVenueEvent((e) => {
      if (e.type !== 'execution') return;
      const r = e.report;
      const gridId = gridIdOf(r.clientOrderId);
      if (r.status === 'NEW' && r.trade === undefined) {
        this.accepted.set(r.clientOrderId, (this.accepted.get(r.clientOrderId) ?? 0) + 1);
        if (!this.orders.has(r.clientOrderId)) {
          this.orders.set(r.clientOrderId, {
            clientOrderId: r.clientOrderId,
            gridId,
            side: r.side,
            type: r.type,
            price: r.price,
            quantity: r.origQty,
            time: r.time,
            seq: this.seq++,
          });
        }
      }
      if (r.trade !== undefined) {
        const t = r.trade;
        this.fills.push({
          clientOrderId: r.clientOrderId,
          gridId,
          side: r.side,
          type: r.type,
          price: t.price,
          quantity: t.quantity,
          commission: t.commission,
          commissionAsset: t.commissionAsset,
          feeQuote: feeInQuote(this.instrument, t.commission, t.commissionAsset, t.price) ?? ZERO,
          time: r.time,
          seq: this.seq++,
        });
      }
    });
    // The USD-M account's orders and fills (a futures season): the same record, with the venue's realized PnL.
    this.offFutures = hub.onFuturesEvent((e) => {
      if (e.type !== 'order') return;
      const o = e.order;
      const gridId = gridIdOf(o.clientOrderId);
      if (e.execution === 'NEW') {
        this.accepted.set(o.clientOrderId, (this.accepted.get(o.clientOrderId) ?? 0) + 1);
        if (!this.orders.has(o.clientOrderId)) {
          const order = { clientOrderId: o.clientOrderId, gridId, side: o.side, type: o.type, price: o.price, quantity: o.origQty };
          this.orders.set(o.clientOrderId, { ...order, time: e.time, seq: this.seq++ });
        }
      }
      if (e.fill !== undefined) {
        const t = e.fill;
        this.fills.push({
          clientOrderId: o.clientOrderId,
          gridId,
          side: o.side,
          type: o.type,
          price: t.price,
          quantity: t.quantity,
          commission: t.commission,
          commissionAsset: t.commissionAsset,
          feeQuote: t.commission,
          time: e.time,
          seq: this.seq++,
          realizedPnl: t.realizedPnl,
        });
      }
    });
  }

  /** Client order ids the exchange accepted more than once. */
  doubled(): string[] {
    return [...this.accepted].filter(([, n]) => n > 1).map(([id]) => id);
  }

  close(): void {
    this.off();
    this.offFutures();
  }
}
