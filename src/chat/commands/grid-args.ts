import { z } from 'zod';
import { type Fixed, ZERO, fixed } from '../../domain/index.js';
import { type GridParams, MAX_GRID_LEVELS, MAX_RANGE_GRIDS, MAX_SPACING_PCT, MIN_RANGE_GRIDS } from '../../strategy/index.js';
import { type Check, type RawArgs, knownSymbol, optional, positiveDecimal, required, wholeNumber } from '../args.js';
import { formatQuote } from '../format.js';
import type { TradingServices } from '../services.js';
import { DEFAULT_FUTURES_LEVERAGE, DEFAULT_FUTURES_MARGIN, directionMissing, leverageWord } from './futures-words.js';
import { RANGE_EXAMPLE, investment, priceRange, routeGridForm, whenGiven } from './grid-form-args.js';

export const FUTURES_EXAMPLE = '/grid BTCUSDT 10 0.5 long x5';
export const AUTO_EXAMPLE = '/grid BTCUSDT auto';

/**
 * `/grid`'s words (bound by its syntax) checked and turned into GridParams; `/backtest` checks its grid with the same.
 * Both forms, auto, trailing and futures; each wrong word is named with what it should be.
 */
export function gridArgs(services: TradingServices): z.ZodType<GridParams, RawArgs> {
  const price = (name: string) => optional(name, positiveDecimal(name, 'a price', `${name}=90000`));
  // The range form's words are renamed before they are checked, so a problem names GRIDS rather than SPACING.
  return z
    .custom<RawArgs>()
    .transform(routeGridForm)
    .pipe(
      z
        .object({
          SYMBOL: required(
            'SYMBOL',
            knownSymbol('SYMBOL', () => services.symbols()),
          ),
          LEVELS: optional('LEVELS', whenGiven('LEVELS', wholeNumber('LEVELS', 1, MAX_GRID_LEVELS))),
          SPACING: optional('SPACING', whenGiven('SPACING', positiveDecimal('SPACING', 'a percentage', '0.5', MAX_SPACING_PCT))),
          AMOUNT: optional('AMOUNT', positiveDecimal('AMOUNT', `an amount of ${services.quoteAsset} per level`, '25')),
          RANGE: optional('RANGE', priceRange('RANGE')),
          GRIDS: optional(
            'GRIDS',
            whenGiven(
              'GRIDS',
              wholeNumber('GRIDS', MIN_RANGE_GRIDS, MAX_RANGE_GRIDS),
              `GRIDS is missing: how many grids between the two prices, like ${RANGE_EXAMPLE}.`,
            ),
          ),
          INVEST: optional('INVEST', investment('INVEST', services.quoteAsset)),
          AUTO: z.literal('auto').optional(),
          AUTO_EXTRA: optional('AUTO', (text): Check<never> => ({
            problem:
              'auto chooses LEVELS and SPACING from the hourly volatility: ' +
              `give at most an AMOUNT after it, like ${AUTO_EXAMPLE}; got '${text}' too.`,
          })),
          MODE: z.enum(['geometric', 'arithmetic']).optional(),
          TRAIL: z.literal('trail').optional(),
          TRAIL_DOWN: z.literal('trail-down').optional(),
          DIRECTION: z.enum(['long', 'short', 'neutral']).optional(),
          MARGIN: z.enum(['cross', 'isolated']).optional(),
          LEVERAGE: optional('LEVERAGE', leverageWord),
          sl: price('sl'),
          tp: price('tp'),
          at: price('at'),
          trail: optional('trail', positiveDecimal('trail', 'a price', 'trail=75000')),
          'trail-down': optional('trail-down', positiveDecimal('trail-down', 'a price', 'trail-down=55000')),
        })
        .transform((a, ctx): GridParams => {
          const below = (low: string, lo: Fixed | undefined, high: string, hi: Fixed | undefined) => {
            if (lo !== undefined && hi !== undefined && lo >= hi) {
              ctx.addIssue({
                code: 'custom',
                message: `${low} (${formatQuote(lo)}) must be below ${high} (${formatQuote(hi)}).`,
                path: [low],
              });
            }
          };
          below('sl', a.sl, 'tp', a.tp);
          below('sl', a.sl, 'at', a.at);
          below('at', a.at, 'tp', a.tp);
          if (a.DIRECTION === undefined && (a.LEVERAGE !== undefined || a.MARGIN !== undefined)) {
            const word = a.LEVERAGE !== undefined ? `x${a.LEVERAGE}` : (a.MARGIN as string);
            ctx.addIssue({
              code: 'custom',
              message: directionMissing(word, FUTURES_EXAMPLE),
              path: ['DIRECTION'],
            });
          }
          const trails = a.TRAIL ?? a.trail ?? a.TRAIL_DOWN ?? a['trail-down'];
          if (a.DIRECTION !== undefined && trails !== undefined) {
            // Trailing moves buy at market and re-price the ladder; on a leveraged position that changes the margin and
            // the liquidation price the owner confirmed, which the preview cannot show yet (issue 12 leaves it out).
            ctx.addIssue({
              code: 'custom',
              message:
                `trailing is for spot grids only for now: leave trail/trail-down out of a ${a.DIRECTION} grid, ` +
                `like ${FUTURES_EXAMPLE}.`,
              path: ['TRAIL'],
            });
          }
          const common = {
            symbol: a.SYMBOL,
            spacing: a.MODE ?? 'arithmetic',
            ...(a.sl !== undefined ? { stopLoss: a.sl } : {}),
            ...(a.tp !== undefined ? { takeProfit: a.tp } : {}),
            ...(a.at !== undefined ? { trigger: a.at } : {}),
            // `trail` alone trails without a limit; `trail=PRICE` up to PRICE (checked against the ladder in the preview).
            ...(a.TRAIL !== undefined || a.trail !== undefined ? { trailUp: a.trail !== undefined ? { limit: a.trail } : {} } : {}),
            ...(a.TRAIL_DOWN !== undefined || a['trail-down'] !== undefined
              ? { trailDown: a['trail-down'] !== undefined ? { limit: a['trail-down'] } : {} }
              : {}),
            ...(a.DIRECTION !== undefined
              ? {
                  futures: {
                    mode: a.DIRECTION,
                    leverage: a.LEVERAGE ?? DEFAULT_FUTURES_LEVERAGE,
                    margin: a.MARGIN ?? DEFAULT_FUTURES_MARGIN,
                  },
                }
              : {}),
          } as const;
          if (a.RANGE !== undefined && a.GRIDS !== undefined) {
            const grids = a.GRIDS;
            const invest = a.INVEST;
            // A total is shared evenly by the grids' orders (one per grid: N + 1 lines, the one at the price left out).
            const perGrid =
              invest === undefined
                ? services.defaults.gridAmountQuote
                : invest.kind === 'perGrid'
                  ? invest.amount
                  : fixed.divRound(invest.amount, BigInt(grids), 'floor');
            return {
              ...common,
              // Placeholders: the preview fills in levels each side and the spacing from the lines and the price.
              levels: grids,
              spacingPct: ZERO,
              amountQuote: perGrid,
              range: {
                lower: a.RANGE.lower,
                upper: a.RANGE.upper,
                grids,
                ...(invest?.kind === 'total' ? { investQuote: invest.amount } : {}),
              },
            };
          }
          return {
            ...common,
            // Auto: placeholders the app replaces with the volatility's levels and spacing before the preview.
            ...(a.AUTO !== undefined ? { auto: true } : {}),
            levels: a.LEVELS ?? 0,
            spacingPct: a.SPACING ?? ZERO,
            amountQuote: a.AMOUNT ?? services.defaults.gridAmountQuote,
          };
        }),
    );
}
