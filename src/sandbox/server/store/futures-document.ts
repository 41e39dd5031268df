import { z } from 'zod';
import type { FuturesSnapshot } from '../../futures/index.js';

const decimal = z.string().regex(/^-?\d+(\.\d{1,8})?$/, 'expected a decimal string');
const int = z.number().int();
const side = z.enum(['BUY', 'SELL']);

/** The futures account's part of the stored document, field by field as FuturesSnapshot (futures-snapshot.ts). */
export const futuresSnapshotSchema = z.object({
  version: z.literal(1),
  crossWallet: decimal,
  crossMarginCalled: z.boolean(),
  nextOrderId: int,
  nextTradeId: int,
  nextTranId: int,
  symbols: z.array(
    z.object({
      symbol: z.string(),
      leverage: int.min(1).max(125),
      marginType: z.enum(['CROSSED', 'ISOLATED']),
      position: z.object({ amount: decimal, entryPrice: decimal, entryNotional: decimal, openingFees: decimal }),
      isolatedWallet: decimal,
      accumulatedRealized: decimal,
      updateTime: int,
      marginCalled: z.boolean(),
      countdownDeadline: int,
      nextFunding: int,
    }),
  ),
  orders: z.array(
    z.object({
      orderId: int,
      clientOrderId: z.string(),
      symbol: z.string(),
      side,
      type: z.enum(['LIMIT', 'MARKET', 'LIQUIDATION']),
      timeInForce: z.enum(['GTC', 'IOC', 'FOK', 'GTX']),
      price: decimal,
      origQty: decimal,
      reduceOnly: z.boolean(),
      time: int,
      executedQty: decimal,
      cumQuote: decimal,
      status: z.enum(['NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'REJECTED', 'EXPIRED']),
      updateTime: int,
    }),
  ),
  trades: z.array(
    z.object({
      tradeId: int,
      price: decimal,
      quantity: decimal,
      commission: decimal,
      commissionAsset: z.string(),
      realizedPnl: decimal,
      isMaker: z.boolean(),
      symbol: z.string(),
      orderId: int,
      side,
      positionSide: z.enum(['BOTH', 'LONG', 'SHORT']),
      time: int,
    }),
  ),
  income: z.array(
    z.object({
      symbol: z.string(),
      incomeType: z.enum(['REALIZED_PNL', 'FUNDING_FEE', 'COMMISSION', 'INSURANCE_CLEAR']),
      income: decimal,
      asset: z.string(),
      info: z.string(),
      time: int,
      tranId: int,
      tradeId: int.optional(),
    }),
  ),
}) satisfies z.ZodType<FuturesSnapshot>;
