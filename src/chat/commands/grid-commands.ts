import { z } from 'zod';
import { failure, isPerpetual, ok } from '../../domain/index.js';
import type { GridParams, GridPreview, GridSummary } from '../../strategy/index.js';
import { type Check, optional, required } from '../args.js';
import { CONFIRM_BUTTONS, type Command, type CommandContext, type Reply, type ReplyButton, defineCommand } from '../registry.js';
import { tryOnHistory } from './backtest-command.js';
import type { GridView, TradingServices } from '../services.js';
import { DEFAULT_FUTURES_LEVERAGE } from './futures-words.js';
import { AUTO_EXAMPLE, FUTURES_EXAMPLE, gridArgs } from './grid-args.js';
import { RANGE_EXAMPLE } from './grid-form-args.js';
import { gridPreviewText, gridStartedText, gridSummaryText, gridWaitingText } from './grid-texts.js';

/** Under a grid's preview: the same grid replayed over the bot's own last 7 days of minutes, before confirming it. */
const TRY_BUTTON: ReplyButton = { label: 'Try it on history', action: 'try' };
/** Under a grid's preview: the proposed ladder drawn over the last 24 h. */
const CHART_BUTTON: ReplyButton = { label: 'Chart', action: 'chart' };

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
    render: (preview, ctx) => ({
      text: gridPreviewText(preview),
      buttons: [
        ...CONFIRM_BUTTONS,
        ...(ctx.services.previewChart === undefined ? [] : [CHART_BUTTON]),
        ...(ctx.services.backtest === undefined ? [] : [TRY_BUTTON]),
      ],
    }),
    confirm: (preview, ctx) => ({
      ...(ctx.services.backtest === undefined ? {} : { tryOut: () => tryOnHistory(preview.params, ctx) }),
      ...(ctx.services.previewChart === undefined ? {} : { chartOut: () => chartOfPreview(preview, ctx) }),
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

/** The preview's "Chart" button: the picture, or what kept it from being drawn. */
async function chartOfPreview(preview: GridPreview, ctx: CommandContext): Promise<Reply> {
  const drawn = await ctx.services.previewChart?.(preview);
  if (drawn === undefined) return { text: '✗ this bot draws no charts' };
  if (!drawn.ok) return { text: `✗ ${drawn.error.message}` };
  return { text: '', photo: { png: drawn.value.png, caption: drawn.value.caption, filename: drawn.value.filename } };
}
