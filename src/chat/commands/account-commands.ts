import { z } from 'zod';
import { type Balance, ZERO, ok } from '../../domain/index.js';
import { knownSymbol, noArgs, optional } from '../args.js';
import { formatDuration, formatQty, formatQuote, formatSigned, table } from '../format.js';
import { type Command, defineCommand } from '../registry.js';
import type { DeadmanView, OrderView, PnlView, PositionView, StatusView, TradingServices } from '../services.js';
import { deadmanLines } from './deadman-commands.js';

/** Long lists are cut here so a reply stays one readable message. */
export const MAX_LISTED = 50;

function more(total: number, shown: number, hint: string): string[] {
  return total > shown ? [`… and ${total - shown} more${hint}`] : [];
}

/** "BTCUSDT 0.0025 @ avg 94525.00 · last 95000.00 · unrealized +1.19 · realized 0.00 · fees 0.24 USDT". */
export function positionLine(p: PositionView, quoteAsset: string): string {
  const last = p.lastPrice !== undefined ? ` · last ${formatQuote(p.lastPrice)}` : '';
  return (
    `${p.symbol} ${formatQty(p.quantity)} @ avg ${formatQuote(p.avgCost)}${last} · unrealized ${formatSigned(p.unrealizedPnl)} · ` +
    `realized ${formatSigned(p.realizedPnl)} · fees ${formatQuote(p.fees)} ${quoteAsset}`
  );
}

export function positionsCommand(): Command<Record<string, never>, readonly PositionView[]> {
  return defineCommand({
    name: 'positions',
    role: 'viewer',
    summary: 'Show what you hold per symbol, its average cost and profit or loss.',
    usage: '/positions',
    example: '/positions',
    args: noArgs,
    handler: async (_args, ctx) => ok(ctx.services.positions()),
    render: (positions, ctx) => {
      const open = positions.filter((p) => p.quantity !== ZERO || p.realizedPnl !== ZERO);
      if (open.length === 0) return { text: 'No positions.' };
      return { text: ['Positions:', ...open.map((p) => `  ${positionLine(p, ctx.services.quoteAsset)}`)].join('\n') };
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

export function pnlCommand(): Command<Record<string, never>, PnlView> {
  return defineCommand({
    name: 'pnl',
    role: 'viewer',
    summary: 'Show realized and unrealized profit, fees, today, and each grid’s profit.',
    usage: '/pnl',
    example: '/pnl',
    args: noArgs,
    handler: async (_args, ctx) => ok(ctx.services.pnl()),
    render: (pnl, ctx) => {
      const q = ctx.services.quoteAsset;
      const lines = [
        `Profit and loss (${q}):`,
        `  realized:   ${formatSigned(pnl.realized)}`,
        `  unrealized: ${formatSigned(pnl.unrealized)}`,
        `  fees paid:  ${formatQuote(pnl.fees)}`,
        `  today:      ${formatSigned(pnl.today)}`,
      ];
      if (pnl.grids.length > 0) {
        lines.push(
          'Grids:',
          ...table(pnl.grids.map((g) => [g.gridId, g.symbol, `${g.roundTrips} round trips`, `${formatSigned(g.profit)} ${q}`])),
        );
      }
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
      const rows = sorted.map((b) => [b.asset, `free ${formatQty(b.free)}`, `locked ${formatQty(b.locked)}`]);
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
