import { z } from 'zod';
import type { GridSnapshot } from '../../strategy/index.js';
import { mirrors } from './mirror.js';
import { amount, clientOrderId, count, gridId, name, orderType, side, text, time, timeInForce } from './values.js';

const lot = z.strictObject({ qty: amount, fee: amount, price: amount });

const params = z.strictObject({
  symbol: name,
  // A running grid's params were resolved from `auto` before its preview; kept so the schema is the type's.
  auto: z.literal(true).optional(),
  levels: z.int().min(1),
  spacingPct: amount,
  amountQuote: amount,
  spacing: z.enum(['arithmetic', 'geometric']),
  stopLoss: amount.optional(),
  takeProfit: amount.optional(),
  range: z.strictObject({ lower: amount, upper: amount, grids: z.int().min(1), investQuote: amount.optional() }).optional(),
  trigger: amount.optional(),
  trailUp: z.strictObject({ limit: amount.optional() }).optional(),
  trailDown: z.strictObject({ limit: amount.optional() }).optional(),
  futures: z
    .strictObject({
      mode: z.enum(['long', 'short', 'neutral']),
      leverage: z.int().min(1).max(125),
      margin: z.enum(['cross', 'isolated']),
    })
    .optional(),
});

const ladderLevel = z.strictObject({
  index: z.int(),
  side,
  price: amount,
  quantity: amount,
  notional: amount,
  sellQuantity: amount.optional(),
});

const waiting = z.strictObject({
  trigger: amount,
  from: z.enum(['below', 'above']),
  levels: z.array(ladderLevel),
  marketBuy: z.strictObject({ quantity: amount, estimatedQuote: amount }).optional(),
  marketSell: z.strictObject({ quantity: amount, estimatedQuote: amount }).optional(),
  books: z.strictObject({ startPrice: amount, quoteForBuys: amount, baseForSells: amount, investment: amount.optional() }).optional(),
});

const issue = z.strictObject({ clientOrderId, side, level: z.int(), code: text, message: text, time });

const gridOrder = z.strictObject({
  clientOrderId,
  side,
  level: z.int(),
  role: z.enum(['opener', 'closer', 'entry', 'exit', 'trail']),
  lots: z.array(lot),
  carryQty: amount,
  carryLots: z.array(lot),
  quantity: amount.optional(),
  levelQty: amount.optional(),
  carryLevel: amount.optional(),
});

const heldIntent = z.strictObject({
  clientOrderId,
  symbol: name,
  side,
  type: orderType,
  price: amount.optional(),
  timeInForce: timeInForce.optional(),
  quantity: amount,
  reducesPosition: z.boolean(),
  why: z
    .strictObject({
      cause: z.enum(['halt', 'stale', 'rate_limit', 'exchange']),
      code: text,
      since: time,
      retryAt: time.optional(),
      attempts: count,
    })
    .optional(),
});

/**
 * One hash field of `<prefix>:state:grids`: what GridStrategy.exportGrid wrote. What only the symbol's filters can judge
 * (the symbol itself, the ladder's length, held re-arms among the open orders) is checked by restoreGrid at restore.
 */
export const gridSnapshot = mirrors<GridSnapshot>()(
  z.preprocess(
    withoutRetiredFields,
    z.strictObject({
      version: z.literal(1),
      gridId,
      params,
      prices: z.array(amount),
      startedAt: time,
      status: z.enum(['waiting', 'starting', 'running', 'stopped']),
      stopReason: z.enum(['user', 'stop_loss', 'take_profit', 'kill', 'start_failed', 'liquidated']).optional(),
      seq: count,
      pendingSells: z.array(ladderLevel).optional(),
      exitPending: z.boolean(),
      exitPrice: amount.optional(),
      inventory: amount,
      issues: z.array(issue),
      open: z.array(gridOrder),
      held: z.array(heldIntent),
      toldLasting: z.array(text).optional(),
      feeRate: amount.optional(),
      feeInBase: z.boolean().optional(),
      dust: amount.optional(),
      exitDustOnly: z.boolean().optional(),
      waiting: waiting.optional(),
      referencePrice: amount.optional(),
      takerFee: amount.optional(),
      trail: z
        .strictObject({
          low: z.int(),
          high: z.int(),
          movesUp: count,
          movesDown: count,
          upLimitReached: z.boolean(),
          downLimitReached: z.boolean(),
          off: text.optional(),
        })
        .optional(),
    }),
  ),
);

/**
 * Fields version 1 states written before issue 9 still carry, read and dropped: a grid's round trips and profit (the
 * portfolio's book is their one owner) and an order's trade ids (the tracker's record is the one exactly-once record).
 * Anything else unknown is still refused.
 */
function withoutRetiredFields(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const { roundTrips: _roundTrips, profit: _profit, ...grid } = value as Record<string, unknown>;
  if (!Array.isArray(grid.open)) return grid;
  const open = grid.open.map((o: unknown) => {
    if (typeof o !== 'object' || o === null || Array.isArray(o)) return o;
    const { trades: _trades, ...order } = o as Record<string, unknown>;
    return order;
  });
  return { ...grid, open };
}
