import { z } from 'zod';
import type { TrackedOrderSnapshot } from '../../execution/index.js';
import { mirrors } from './mirror.js';
import { amount, clientOrderId, count, gridId, name, orderType, side, text, time, timeInForce } from './values.js';

const owner = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('grid'), gridId }),
  z.strictObject({ kind: z.literal('manual') }),
]);

const intent = z.strictObject({
  clientOrderId,
  symbol: name,
  side,
  type: orderType,
  price: amount.optional(),
  quantity: amount,
  timeInForce: timeInForce.optional(),
  reduceOnly: z.boolean().optional(),
  owner,
  reducesPosition: z.boolean(),
});

const orderStatus = z.enum(['new', 'accepted', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired', 'unknown']);

/** One hash field of `<prefix>:state:orders`: what OrderTracker.exportOrder wrote. */
export const trackedOrderSnapshot = mirrors<TrackedOrderSnapshot>()(
  z.strictObject({
    version: z.literal(1),
    record: z.strictObject({
      intent,
      status: orderStatus,
      exchangeOrderId: text.optional(),
      filledQty: amount,
      filledQuote: amount,
      createdAt: time,
      updatedAt: time,
      reason: text.optional(),
    }),
    tradeIds: z.array(count),
    retained: z.boolean(),
    retiredSeq: count.optional(),
  }),
);
