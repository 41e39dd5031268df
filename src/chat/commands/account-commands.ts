import { z } from 'zod';
import { type Balance, type Fixed, ZERO, ok } from '../../domain/index.js';
import { knownSymbol, noArgs, optional } from '../args.js';
import { formatDuration, formatQty, formatQuote, table } from '../format.js';
import { exact, money, price, quantity, signedExact, signedMoney } from '../numbers.js';
import { type Command, defineCommand } from '../registry.js';
import type {
  DeadmanView,
  FuturesPnlView,
  FuturesPositionView,
  OrderView,
  PnlView,
  PositionView,
  StatusView,
  SymbolView,
  TradingServices,
} from '../services.js';
import { deadmanLines } from './deadman-commands.js';
import { type Precision, feeLines, gridProfitLine } from './profit-texts.js';
import { futuresPnlLines, futuresPositionLine } from './futures-commands.js';

/** Long lists are cut here so a reply stays one readable message. */
export const MAX_LISTED = 50;

function more(total: number, shown: number, hint: string): string[] {
  return total > shown ? [`… and ${total - shown} more${hint}`] : [];
}

/**
 * "BTCUSDT 0.00250 @ avg 94525.00 · last 95000.00 · unrealized +1.19 · realized 0.00 · fees 0.24 USDT · account holds
 * 0.50000 BTC, G1 manages 0.00250": the books' quantity and average cost, what the venue says the account holds, and
 * how much of it each running grid manages. Prices to the symbol's tick, quantities to its step, money to the cent.
 */
export function positionLine(p: PositionView, quoteAsset: string, sym?: SymbolView): string {
  const last = p.lastPrice !== undefined ? ` · last ${price(p.lastPrice, sym)}` : '';
  const base = sym?.baseAsset ?? '';
  const holds = p.accountHolds !== undefined ? [`account holds ${quantity(p.accountHolds, sym)}${base ? ` ${base}` : ''}`] : [];
  const managed = (p.grids ?? []).map((g) => `${g.gridId} manages ${quantity(g.quantity, sym)}`);
  const tail = [...holds, ...managed].join(', ');
  return (
    `${p.symbol} ${quantity(p.quantity, sym)} @ avg ${price(p.avgCost, sym)}${last} · unrealized ${signedMoney(p.unrealizedPnl)} · ` +
    `realized ${signedMoney(p.realizedPnl)} · fees ${money(p.fees)} ${quoteAsset}${tail ? ` · ${tail}` : ''}`
  );
}

interface PositionsData {
  readonly spot: readonly PositionView[];
  readonly futures: readonly FuturesPositionView[];
}

export function positionsCommand(): Command<Record<string, never>, PositionsData> {
  return defineCommand({
    name: 'positions',
    role: 'viewer',
    summary: 'Show what you hold per symbol, its average cost and profit or loss; perpetuals apart, with margin and liquidation.',
    usage: '/positions',
    example: '/positions',
    args: noArgs,
    handler: async (_args, ctx) => ok({ spot: ctx.services.positions(), futures: ctx.services.futuresPositions?.() ?? [] }),
    render: ({ spot, futures }, ctx) => {
      const open = spot.filter((p) => p.quantity !== ZERO || p.realizedPnl !== ZERO);
      if (open.length === 0 && futures.length === 0) return { text: 'No positions.' };
      const q = ctx.services.quoteAsset;
      const lines: string[] = [];
      if (open.length > 0) lines.push('Positions:', ...open.map((p) => `  ${positionLine(p, q, ctx.services.instrumentOf?.(p.symbol))}`));
      if (futures.length > 0)
        lines.push('Futures (USD-M):', ...futures.map((p) => `  ${futuresPositionLine(p, q, ctx.services.instrumentOf?.(p.symbol))}`));
      return { text: lines.join('\n') };
    },
  });
}

export function ordersCommand(services: TradingServices): Command<string | undefined, { symbol?: string; orders: readonly OrderView[] }> {
  return defineCommand({
    name: 'orders',
    role: 'viewer',
    summary: 'List open orders, all of them or for one symbol.',
    usage: '/orders [SYMBOL]',
    example: '/orders BTCUSDT',
    syntax: { positional: ['SYMBOL'] },
    args: z
      .object({
        SYMBOL: optional(
          'SYMBOL',
          knownSymbol('SYMBOL', () => services.symbols()),
        ),
      })
      .transform((a) => a.SYMBOL),
    handler: async (symbol, ctx) => {
      const all = ctx.services.openOrders();
      const orders = symbol === undefined ? all : all.filter((o) => o.symbol === symbol);
      return ok(symbol === undefined ? { orders } : { symbol, orders });
    },
    render: ({ symbol, orders }) => {
      if (orders.length === 0) return { text: symbol ? `No open orders on ${symbol}.` : 'No open orders.' };
      // Like an order book: per symbol, highest price first.
      const sorted = [...orders].sort((a, b) => {
        if (a.symbol !== b.symbol) return a.symbol < b.symbol ? -1 : 1;
        const pa = a.price ?? ZERO;
        const pb = b.price ?? ZERO;
        return pa === pb ? 0 : pa > pb ? -1 : 1;
      });
      const shown = sorted.slice(0, MAX_LISTED);
      const rows = shown.map((o) => [
        o.symbol,
        o.side,
        o.type,
        formatQty(o.quantity),
        o.price !== undefined ? `@ ${formatQuote(o.price)}` : '@ market',
        o.filledQty > ZERO ? `filled ${formatQty(o.filledQty)}` : '',
        o.status,
        o.gridId ? `grid ${o.gridId}` : 'manual',
      ]);
      const title = `Open orders${symbol ? ` on ${symbol}` : ''}: ${orders.length}`;
      return {
        text: [title, ...table(rows), ...more(orders.length, shown.length, symbol ? '' : '; narrow with /orders SYMBOL')].join('\n'),
      };
    },
  });
}

/** `/pnl` rounds for reading; `/pnl detail` shows every decimal the books keep. */
const pnlDetail = z
  .object({
    DETAIL: optional('DETAIL', (text) =>
      text.toLowerCase() === 'detail'
        ? { value: true }
        : { problem: `DETAIL: expected the word 'detail' (every decimal the books keep), got '${text}'; e.g. /pnl detail.` },
    ),
  })
  .transform((a): Precision => (a.DETAIL ? 'exact' : 'chat'));

export function pnlCommand(): Command<Precision, PnlView & { readonly precision: Precision; readonly futures?: FuturesPnlView }> {
  return defineCommand({
    name: 'pnl',
    role: 'viewer',
    summary: 'Show realized and unrealized profit, fees per asset, today, and each grid’s profit; `detail` for exact figures.',
    usage: '/pnl [detail]',
    example: '/pnl detail',
    syntax: { positional: ['DETAIL'] },
    args: pnlDetail,
    handler: async (precision, ctx) => {
      const futures = ctx.services.futuresPnl?.();
      return ok({ ...ctx.services.pnl(), precision, ...(futures !== undefined ? { futures } : {}) });
    },
    render: (pnl, ctx) => {
      const q = ctx.services.quoteAsset;
      const p = pnl.precision;
      const signed = p === 'exact' ? signedExact : signedMoney;
      const lines = [
        `Profit and loss (${q})${p === 'exact' ? ', exact' : ''}:`,
        `  realized:   ${signed(pnl.realized)}`,
        `  unrealized: ${signed(pnl.unrealized)}`,
        `  fees paid:  ${p === 'exact' ? exact(pnl.fees) : money(pnl.fees)}`,
        `  today:      ${signed(pnl.today)}`,
      ];
      const fees = (pnl.feesByAsset ?? []).filter((f) => f.amount !== ZERO);
      if (fees.length > 0) lines.push('Fees by asset:', ...feeLines(fees, q, p).map((l) => `  ${l}`));
      if (pnl.grids.length > 0) {
        lines.push(
          'Grids:',
          ...pnl.grids.map((g) => {
            const trips = `${g.roundTrips} round trip${g.roundTrips === 1 ? '' : 's'}`;
            return `  ${g.gridId} ${g.symbol} · ${trips} · ${gridProfitLine(g.pnl, g.profit, q, p)}`;
          }),
        );
      }
      if (pnl.futures !== undefined) lines.push(...futuresPnlLines(pnl.futures, q, p));
      return { text: lines.join('\n') };
    },
  });
}

export function balanceCommand(): Command<Record<string, never>, readonly Balance[]> {
  return defineCommand({
    name: 'balance',
    role: 'viewer',
    summary: 'Show your balances: free and locked in orders.',
    usage: '/balance',
    example: '/balance',
    args: noArgs,
    handler: async (_args, ctx) => ok(ctx.services.balances()),
    render: (balances, ctx) => {
      const q = ctx.services.quoteAsset;
      const held = balances.filter((b) => b.free !== ZERO || b.locked !== ZERO);
      if (held.length === 0) return { text: 'No balances reported yet.' };
      // The quote asset first, because it is what grids spend.
      const sorted = [...held].sort((a, b) => (a.asset === q ? -1 : b.asset === q ? 1 : a.asset < b.asset ? -1 : 1));
      // The quote asset in money, a base asset to the lot step of a symbol trading it (every decimal when none does).
      const syms = ctx.services.symbols().map((s) => ctx.services.instrumentOf?.(s));
      const show = (asset: string, v: Fixed): string => {
        if (asset === q) return money(v);
        const sym = syms.find((x) => x?.baseAsset === asset);
        return sym ? quantity(v, sym) : formatQty(v);
      };
      const rows = sorted.map((b) => [b.asset, `free ${show(b.asset, b.free)}`, `locked ${show(b.asset, b.locked)}`]);
      return { text: ['Balances:', ...table(rows)].join('\n') };
    },
  });
}

export function statusCommand(): Command<Record<string, never>, StatusView & { readonly deadman: DeadmanView }> {
  return defineCommand({
    name: 'status',
    role: 'viewer',
    summary: "Show the mode, venue, trading state, uptime, market data freshness and the dead-man's switch.",
    usage: '/status',
    example: '/status',
    args: noArgs,
    handler: async (_args, ctx) => ok({ ...ctx.services.status(), deadman: ctx.services.deadman() }),
    render: (s) => {
      const state =
        s.tradingState === 'ACTIVE' ? 'ACTIVE' : `${s.tradingState}${s.tradingState === 'HALTED' ? ' (send /resume to trade again)' : ''}`;
      const markets = s.markets.map((m) => [
        m.symbol,
        m.lastPrice !== undefined ? formatQuote(m.lastPrice) : 'no price yet',
        m.lastTickAgeMs !== undefined ? `last trade ${formatDuration(m.lastTickAgeMs)} ago` : '',
      ]);
      const lines = [
        `Mode: ${s.mode} on ${s.venue}`,
        `Trading: ${state}`,
        `Uptime: ${formatDuration(s.uptimeMs)}`,
        `Grids running: ${s.gridsRunning} · open orders: ${s.openOrders}`,
        ...deadmanLines(s.deadman),
      ];
      if (markets.length > 0)
        lines.push('Markets:', ...table(markets.slice(0, MAX_LISTED)), ...more(markets.length, Math.min(markets.length, MAX_LISTED), ''));
      return { text: lines.join('\n') };
    },
  });
}
