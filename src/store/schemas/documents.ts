import { z } from 'zod';
import type { SequentialIds } from '../../engine/index.js';
import type { FuturesBookState, PortfolioState } from '../../portfolio/index.js';
import type { TradingStateSnapshot } from '../../risk/index.js';
import { mirrors } from './mirror.js';
import { amount, count, name, text, time } from './values.js';

const assetAmount = z.strictObject({ asset: name, amount });

/** `<prefix>:state:portfolio`: what Portfolio.exportState wrote. */
export const portfolioState = mirrors<PortfolioState>()(
  z.strictObject({
    version: z.literal(1),
    positions: z.array(z.strictObject({ symbol: name, qty: amount, cost: amount, realized: amount, fees: amount, lastFillPrice: amount })),
    grids: z.array(
      z.strictObject({
        gridId: name,
        symbol: name,
        roundTrips: count,
        profit: amount,
        // Absent in documents written before the grid books were kept (they still load).
        since: z
          .strictObject({
            startPrice: amount,
            investment: amount,
            startedAt: time,
            base: amount,
            quote: amount,
            stoppedAt: time.optional(),
          })
          .optional(),
        unvaluedFees: z.array(z.strictObject({ asset: name, amount })).optional(),
      }),
    ),
    // -1 until the first fill rolls the day.
    day: z.int().min(-1),
    realizedToday: amount,
    feesToday: amount,
    feesByAsset: z.array(z.strictObject({ asset: name, amount, valueQuote: amount, unvalued: amount })).optional(),
    balances: z.array(z.strictObject({ asset: name, free: amount, locked: amount })),
    credits: z.array(assetAmount),
    unpricedFees: z.array(assetAmount),
  }),
);

/** `<prefix>:state:futures`: what FuturesBook.exportState wrote. */
export const futuresBookState = mirrors<FuturesBookState>()(
  z.strictObject({
    version: z.literal(1),
    walletBalance: amount,
    crossWalletBalance: amount,
    unattributedFunding: amount,
    day: z.int().min(-1),
    todayNet: amount,
    seenFundingIds: z.array(name),
    symbols: z.array(
      z.strictObject({
        symbol: name,
        amount,
        entryPrice: amount,
        entryNotional: amount,
        openingFees: amount,
        realizedPnl: amount,
        fees: amount,
        funding: amount,
        leverage: z.int().min(1).max(125),
        marginType: z.enum(['CROSSED', 'ISOLATED']),
        isolatedWallet: amount,
      }),
    ),
  }),
);

/**
 * `<prefix>:state:ids`: the last number handed out per prefix. A counter read wrong could hand out a grid id (and so
 * client order ids) a second time, so anything but a whole number ≥ 0 is refused.
 */
export const idCounters = mirrors<ReturnType<SequentialIds['exportState']>>()(z.record(name, count));

/** `<prefix>:state:trading`: what TradingStateMachine.exportState wrote. */
export const tradingStateSnapshot = mirrors<TradingStateSnapshot>()(
  z.strictObject({ version: z.literal(1), state: z.enum(['ACTIVE', 'REDUCING', 'HALTED']), reason: text, since: time }),
);
