import { z } from 'zod';
import { type Fixed, ZERO, failure, fixed, isPerpetual, ok } from '../../domain/index.js';
import {
  type GridParams,
  type GridPreview,
  type GridSummary,
  MAX_FUTURES_LEVERAGE,
  MAX_GRID_LEVELS,
  MAX_RANGE_GRIDS,
  MAX_SPACING_PCT,
  MIN_RANGE_GRIDS,
} from '../../strategy/index.js';
import { type Check, type RawArgs, knownSymbol, optional, positiveDecimal, required, wholeNumber } from '../args.js';
import { formatQuote } from '../format.js';
import { CONFIRM_BUTTONS, type Command, defineCommand } from '../registry.js';
import type { GridView, TradingServices } from '../services.js';
import { RANGE_EXAMPLE, investment, priceRange, routeGridForm, whenGiven } from './grid-form-args.js';
import { gridPreviewText, gridStartedText, gridSummaryText, gridWaitingText } from './grid-texts.js';

const FUTURES_EXAMPLE = '/grid BTCUSDT 10 0.5 long x5';
/**
 * A futures grid without xN trades at x1 (chosen: Binance's account default is 20x, which a grid typed without a
 * leverage should not get by accident) and on isolated margin (chosen: the grid's losses stop at its own margin).
 */
const DEFAULT_FUTURES_LEVERAGE = 1;
const AUTO_EXAMPLE = '/grid BTCUSDT auto';
const DEFAULT_FUTURES_MARGIN = 'isolated';

/** `x5`: a whole leverage from x1 to x125 (the symbol's brackets may allow less; the preview says so). */
function leverageWord(text: string): Check<number> {
  const n = /^x\d{1,3}$/.test(text) ? Number(text.slice(1)) : Number.NaN;
  return n >= 1 && n <= MAX_FUTURES_LEVERAGE
    ? { value: n }
    : { problem: `LEVERAGE must be x followed by a whole number from 1 to ${MAX_FUTURES_LEVERAGE}, like x5, got '${text}'.` };
}

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
              message: `${word} is for futures grids: add long, short or neutral, like ${FUTURES_EXAMPLE}.`,
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

export function gridCommand(services: TradingServices): Command<GridParams, GridPreview> {
  return defineCommand({
    name: 'grid',
    role: 'trader',
    summary:
      'Preview a grid: LEVELS buys below and sells above the price, SPACING % apart, ' +
      `AMOUNT ${services.quoteAsset} per level; or Binance's form, GRIDS grids between LOWER and UPPER ` +
      `(INVEST ${services.quoteAsset} in total, or AMOUNT/grid each), like ${RANGE_EXAMPLE}. ` +
      'at=PRICE waits for the market to trade through ' +
      'PRICE before placing anything; trail (or trail=PRICE, a limit) moves the grid up a line at a time when the ' +
      'market leaves its top, trail-down (or trail-down=PRICE) down. long, short or neutral makes it a USD-M futures ' +
      `grid, with xN leverage (x${DEFAULT_FUTURES_LEVERAGE} unless given) and isolated (the default: the grid can lose ` +
      `no more than its margin) or cross margin, like ${FUTURES_EXAMPLE}. Confirm to start it.`,
    usage:
      '/grid SYMBOL LEVELS SPACING [AMOUNT] [geometric] [sl=PRICE] [tp=PRICE] [at=PRICE] [trail[=PRICE]] [trail-down[=PRICE]]\n' +
      '  or /grid SYMBOL LOWER-UPPER GRIDS [INVEST | AMOUNT/grid] [geometric] [sl=PRICE] [tp=PRICE] [at=PRICE] [trail[=PRICE]] ' +
      '[trail-down[=PRICE]]\n' +
      '  futures: add long|short|neutral [xN] [isolated|cross] to either form\n' +
      `  or /grid SYMBOL auto [AMOUNT]: levels and spacing from the hourly volatility, like ${AUTO_EXAMPLE}`,
    example: '/grid BTCUSDT 10 0.5',
    syntax: {
      positional: ['SYMBOL', 'LEVELS', 'SPACING', 'AMOUNT'],
      flags: {
        MODE: ['geometric', 'arithmetic'],
        AUTO: ['auto'],
        TRAIL: ['trail'],
        TRAIL_DOWN: ['trail-down'],
        DIRECTION: ['long', 'short', 'neutral'],
        MARGIN: ['cross', 'isolated'],
      },
      patterns: { LEVERAGE: /^x[\d.]+$/ },
      options: ['sl', 'tp', 'at', 'trail', 'trail-down'],
    },
    args: gridArgs(services),
    handler: (params, ctx) => ctx.services.previewGrid(params),
    render: (preview) => ({ text: gridPreviewText(preview), buttons: CONFIRM_BUTTONS }),
    confirm: (preview, ctx) => ({
      run: async () => {
        const started = await ctx.services.startGrid(preview);
        if (!started.ok) return { text: `✗ Grid not started: ${started.error.message}` };
        if (preview.params.trigger !== undefined) return { text: gridWaitingText(preview, started.value) };
        return { text: gridStartedText(preview.params.symbol, started.value) };
      },
    }),
  });
}

export function gridsCommand(services: TradingServices): Command<GridSummary | undefined, { grids: readonly GridView[]; one: boolean }> {
  return defineCommand({
    name: 'grids',
    role: 'viewer',
    summary: 'List your grids with their orders, round trips and profit; one grid by id for its exact figures.',
    usage: '/grids [GRID_ID]',
    example: '/grids G1',
    syntax: { positional: ['GRID_ID'] },
    args: z.object({ GRID_ID: optional('GRID_ID', gridIdCheck(services)) }).transform((a) => a.GRID_ID),
    handler: async (grid, ctx) => {
      const all = ctx.services.grids();
      // The figures are read again now, not from when the argument was checked.
      return ok(grid === undefined ? { grids: all, one: false } : { grids: all.filter((g) => g.gridId === grid.gridId), one: true });
    },
    render: ({ grids, one }, ctx) => {
      if (grids.length === 0) return { text: 'No grids yet. Start one with /grid BTCUSDT 10 0.5.' };
      const q = ctx.services.quoteAsset;
      const text = (g: GridView) => gridSummaryText(g, q, one ? 'exact' : 'chat', ctx.services.instrumentOf?.(g.symbol));
      return { text: grids.map(text).join('\n\n') };
    },
  });
}

/** Finds a grid by id whatever the case the owner typed it in. */
function gridIdArg(services: TradingServices) {
  return required('GRID_ID', gridIdCheck(services));
}

/** A grid id as typed, checked against the grids there are (an unknown one lists them). */
function gridIdCheck(services: TradingServices) {
  return (text: string): Check<GridSummary> => {
    const grids = services.grids();
    const grid = grids.find((g) => g.gridId.toLowerCase() === text.toLowerCase());
    if (grid) return { value: grid };
    const known = grids.length > 0 ? `your grids: ${grids.map((g) => `${g.gridId} (${g.status})`).join(', ')}` : 'you have no grids';
    return { problem: `GRID_ID: no grid '${text}'; ${known}.` };
  };
}

export function stopCommand(services: TradingServices): Command<GridSummary, GridSummary> {
  return defineCommand({
    name: 'stop',
    role: 'trader',
    summary:
      'Stop a grid and cancel its open orders (asks to confirm). Coins already bought stay in your balance; ' +
      "a futures grid's position is closed.",
    usage: '/stop GRID_ID',
    example: '/stop G1',
    syntax: { positional: ['GRID_ID'] },
    args: z.object({ GRID_ID: gridIdArg(services) }).transform((a) => a.GRID_ID),
    handler: async (grid) => (grid.status === 'stopped' ? failure('GRID_STOPPED', `Grid ${grid.gridId} is already stopped.`) : ok(grid)),
    render: (grid) => ({
      text:
        `⏹ Stop grid ${grid.gridId} on ${grid.symbol}? Its ${grid.openOrders} open orders will be cancelled; ` +
        (isPerpetual(grid.symbol)
          ? "then the grid's position is closed with a reduce-only market order (a leveraged position is not left without its grid)."
          : 'anything already bought or sold stays as it is.'),
      buttons: CONFIRM_BUTTONS,
    }),
    confirm: (grid, ctx) => ({
      run: async () => {
        const stopped = await ctx.services.stopGrid(grid.gridId);
        if (!stopped.ok) return { text: `✗ Grid ${grid.gridId} not stopped: ${stopped.error.message}` };
        return { text: `⏹ Grid ${stopped.value.gridId} stopped; ${stopped.value.canceled} orders cancelled.` };
      },
    }),
  });
}
