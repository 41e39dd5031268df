import { z } from 'zod';
import { type Result, failure, ok } from '../../domain/index.js';
import { parseDayRange } from '../../history/index.js';
import type { GridParams } from '../../strategy/index.js';
import { type RawArgs, problemsOf } from '../args.js';
import { ProgressFollowUp } from '../follow-up.js';
import { type Command, type CommandContext, type Reply, defineCommand } from '../registry.js';
import type { BacktestAsk, BacktestInterval, BacktestView, TradingServices } from '../services.js';
import { gridArgs } from './grid-args.js';

const INTERVALS: readonly BacktestInterval[] = ['1m', '1h'];
/** The longest history a backtest replays: a month of minutes (about 45,000 candles), a year of hours. */
const MAX_DAYS: Readonly<Record<BacktestInterval, number>> = { '1m': 31, '1h': 366 };
const DAY_MS = 86_400_000;
const EXAMPLE = '/backtest BTCUSDT 10 0.5 from=2024-01-01 to=2024-01-31';
const CANCEL_HINT = '/backtest cancel stops it';

type BacktestArgs = { readonly kind: 'cancel' } | { readonly kind: 'run'; readonly ask: BacktestAsk };

type BacktestData =
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'report'; readonly view: BacktestView }
  | { readonly kind: 'running'; readonly follow: ProgressFollowUp };

/** 43200 → "43,200": candle counts as people read them. */
const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** "Backtest: 40 % (17,280 of 43,200 candles)", the line edited in place while a backtest runs. */
function progressLine(done: number, total: number, tail = CANCEL_HINT): string {
  const pct = total === 0 ? 0 : Math.floor((done * 100) / total);
  return `Backtest: ${pct} % (${grouped(done)} of ${grouped(total)} candles) · ${tail}`;
}

/** The progress line once the run ended, so it no longer offers to cancel what is over. */
function closingLine(result: Result<BacktestView>, at: { readonly done: number; readonly total: number } | undefined): string {
  const outcome = result.ok ? 'done' : result.error.code === 'CANCELLED' ? 'cancelled' : 'stopped';
  return at === undefined ? `Backtest: ${outcome}` : progressLine(at.done, at.total, outcome);
}

/** `from=`, `to=` and `interval=`: which candles, checked together (a range needs its start, and is bounded). */
function candleChoice(raw: RawArgs): { readonly value: Omit<BacktestAsk, 'params'> } | { readonly problems: string[] } {
  const interval = INTERVALS.find((i) => i === raw.interval?.toLowerCase());
  if (raw.interval !== undefined && interval === undefined)
    return { problems: [`interval must be one of ${INTERVALS.join(', ')}, got '${raw.interval}'; e.g. interval=1h.`] };
  const chosen = interval ?? '1m';
  if (raw.from === undefined && raw.to === undefined) return { value: { interval: chosen } };
  if (raw.from === undefined) return { problems: [`to= needs from= (the first day), like ${EXAMPLE}.`] };
  const range = parseDayRange(`${raw.from}..${raw.to ?? raw.from}`);
  if (!range.ok) return { problems: [`from/to: ${range.error.message}; days are YYYY-MM-DD (UTC), like ${EXAMPLE}.`] };
  const days = (Date.parse(range.value.to) - Date.parse(range.value.from)) / DAY_MS + 1;
  if (days > MAX_DAYS[chosen])
    return {
      problems: [
        `from/to: ${days} days of ${chosen} candles is more than a backtest replays (at most ${MAX_DAYS[chosen]} days at ${chosen}` +
          `${chosen === '1m' ? '; interval=1h goes further' : ''}).`,
      ],
    };
  return { value: { interval: chosen, days: range.value } };
}

/** The words of `/backtest`: `cancel` alone, or a grid as /grid reads it plus which candles. */
function backtestArgs(services: TradingServices): z.ZodType<BacktestArgs, RawArgs> {
  const grid = gridArgs(services);
  return z.custom<RawArgs>().transform((raw, ctx): BacktestArgs => {
    const { CANCEL, from, to, interval, ...rest } = raw;
    if (CANCEL !== undefined) {
      const others = Object.values({ from, to, interval, ...rest }).filter((v) => v !== undefined);
      if (others.length === 0) return { kind: 'cancel' };
      ctx.addIssue({ code: 'custom', message: `/backtest cancel takes nothing after it; got '${others.join(' ')}' too.` });
      return z.NEVER;
    }
    const problems: string[] = [];
    const params = grid.safeParse(rest);
    if (!params.success) problems.push(...problemsOf(params.error));
    const candles = candleChoice({ from, to, interval });
    if ('problems' in candles) problems.push(...candles.problems);
    for (const message of problems) ctx.addIssue({ code: 'custom', message });
    if (!params.success || !('value' in candles)) return z.NEVER;
    return { kind: 'run', ask: { params: params.data, ...candles.value } };
  });
}

/** The final message of a backtest that outlived its first answer; nothing when it was cancelled (the owner was told). */
function finalReply(result: Result<BacktestView>): Reply | undefined {
  if (result.ok) return viewReply(result.value);
  return result.error.code === 'CANCELLED' ? undefined : { text: `✗ Backtest: ${result.error.message}` };
}

function viewReply(view: BacktestView): Reply {
  const p = view.photo;
  return p === undefined ? { text: view.text } : { text: view.text, photo: { png: p.png, caption: p.caption, filename: p.filename } };
}

const delay = (ms: number) => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref());

/**
 * `/backtest SYMBOL LEVELS SPACING [AMOUNT] [geometric] [from=DAY] [to=DAY] [interval=1m|1h]`: what the grid would have
 * done over past candles (the history folder's with from/to, else the bot's own). A run that takes longer than the
 * service's answerWithinMs answers with a progress line that follows it, and the report comes as a message of its own.
 * Trader, not viewer: a backtest keeps a CPU core of the bot's host busy for up to minutes.
 */
export function backtestCommand(services: TradingServices): Command<BacktestArgs, BacktestData> {
  return defineCommand({
    name: 'backtest',
    role: 'trader',
    summary:
      'What-if: replay a grid (as /grid takes it) over past candles through the paper engine and compare it with holding. ' +
      "from=/to= read the history folder (fetch days with telegrid data fetch); without them, the bot's own candles " +
      `(1m: the last 7 days). One at a time per chat; ${CANCEL_HINT}.`,
    usage:
      '/backtest SYMBOL LEVELS SPACING [AMOUNT] [geometric] [from=YYYY-MM-DD] [to=YYYY-MM-DD] [interval=1m|1h]\n' +
      '  or /backtest SYMBOL LOWER-UPPER GRIDS [INVEST | AMOUNT/grid] … as /grid takes it\n' +
      '  or /backtest cancel',
    example: EXAMPLE,
    syntax: {
      positional: ['SYMBOL', 'LEVELS', 'SPACING', 'AMOUNT'],
      flags: { MODE: ['geometric', 'arithmetic'], CANCEL: ['cancel'] },
      options: ['from', 'to', 'interval'],
    },
    args: backtestArgs(services),
    handler: async (args, ctx): Promise<Result<BacktestData>> => {
      if (args.kind === 'run') return startBacktest(args.ask, ctx);
      return ctx.services.cancelBacktest?.(ctx.chatId) === true
        ? ok({ kind: 'cancelled' })
        : failure('NO_BACKTEST', 'no backtest is running in this chat; start one like /backtest BTCUSDT 10 0.5');
    },
    render: renderBacktest,
  });
}

/**
 * Starts the backtest and waits the service's answerWithinMs for it: a quick one is answered as any command is; a
 * longer one frees the chat and follows up with its progress and its report.
 */
async function startBacktest(ask: BacktestAsk, ctx: CommandContext): Promise<Result<BacktestData>> {
  const start = ctx.services.backtest;
  if (start === undefined) return failure('NO_BACKTEST', 'this bot runs no backtests');
  let follow: ProgressFollowUp | undefined;
  let line = `Backtest: reading the candles… · ${CANCEL_HINT}`;
  let at: { readonly done: number; readonly total: number } | undefined;
  const run = start(ctx.chatId, ask, (done, total) => {
    at = { done, total };
    line = progressLine(done, total);
    follow?.show(line);
  });
  if (!run.ok) return run;
  const quick = await Promise.race([run.value.done, delay(run.value.answerWithinMs)]);
  if (quick !== undefined) return quick.ok ? ok({ kind: 'report', view: quick.value }) : quick;
  const ended = run.value.done.then((result) => {
    follow?.show(closingLine(result, at));
    return finalReply(result);
  });
  follow = new ProgressFollowUp(line, ended);
  return ok({ kind: 'running', follow });
}

function renderBacktest(data: BacktestData): Reply {
  switch (data.kind) {
    case 'cancelled':
      return { text: '✖ Backtest cancelled; no report will come.' };
    case 'report':
      return viewReply(data.view);
    case 'running':
      return { text: data.follow.text(), followUp: data.follow };
  }
}

/** The same grid replayed over the bot's own last 7 days of minutes: the /grid preview's "Try it on history". */
export async function tryOnHistory(params: GridParams, ctx: CommandContext): Promise<Reply> {
  const started = await startBacktest({ params, interval: '1m' }, ctx);
  return started.ok ? renderBacktest(started.value) : { text: `✗ Backtest: ${started.error.message}` };
}
