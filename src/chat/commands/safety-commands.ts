import { z } from 'zod';
import { type Result, ZERO, fixed, ok } from '../../domain/index.js';
import { type Check, noArgs, optional } from '../args.js';
import { formatQty, formatQuote, listOf } from '../format.js';
import { CONFIRM_BUTTONS, type Command, type CommandContext, defineCommand, type Reply } from '../registry.js';
import type { KillAck, KillReceipt, PositionView, StatusView } from '../services.js';
import { MAX_LISTED, positionLine } from './account-commands.js';

function capped<T>(items: readonly T[], line: (item: T) => string): string[] {
  const lines = items.slice(0, MAX_LISTED).map((i) => `  ${line(i)}`);
  if (items.length > MAX_LISTED) lines.push(`  … and ${items.length - MAX_LISTED} more`);
  return lines;
}

function openPositions(positions: readonly PositionView[]): PositionView[] {
  return positions.filter((p) => p.quantity !== ZERO);
}

/** "5 bot orders", "1 bot order". */
function orders(n: number): string {
  return `${n} bot order${n === 1 ? '' : 's'}`;
}

/** The kill switch's first answer, sent ahead of everything else waiting for the chat. */
export function killAckText(ack: KillAck): string {
  const lines = ['🛑 Kill switch: trading HALTED.'];
  const where = `${ack.symbols} symbol${ack.symbols === 1 ? '' : 's'}`;
  lines.push(
    ack.orders === 0
      ? 'No bot order is known on the book; the exchange is checked anyway.'
      : `Cancelling ${orders(ack.orders)} on ${where}.`,
  );
  if (ack.redisDown) lines.push('⚠️ Redis did not answer: the halt holds in this process and the exchange is asked directly.');
  if (ack.flatten) lines.push('Then every position is closed at MARKET.');
  lines.push(`The receipt follows within ${Math.ceil(ack.receiptWithinMs / 1000)} s.`);
  return lines.join('\n');
}

export interface KillReceiptShape {
  /** Whether the market orders of `/kill flatten` are listed (also when none was sent). */
  readonly flatten: boolean;
  /** The update that closes a receipt's unknowns, rather than the receipt itself. */
  readonly update?: boolean;
}

/**
 * What the kill switch did, item by item, each order in exactly one list, so the owner knows exactly what is still out
 * there. The market orders are listed before the positions left open because those positions are what remains after them.
 */
export function killReceiptText(r: KillReceipt, quoteAsset: string, shape: KillReceiptShape = { flatten: r.flattened.length > 0 }): string {
  const open = openPositions(r.positions);
  const lines = [
    shape.update ? '🛑 Kill switch update: every order is settled. Trading is HALTED.' : '🛑 Kill switch receipt. Trading is HALTED.',
    `Orders cancelled: ${r.canceled.length}`,
  ];
  lines.push(...capped(r.canceled, (o) => `${o.clientOrderId} ${o.symbol}`));
  if (r.filled.length > 0) {
    lines.push(`Filled before the cancel arrived (not live): ${r.filled.length}`);
    lines.push(...capped(r.filled, (o) => `${o.clientOrderId} ${o.symbol}`));
  }
  if (r.refused.length > 0) {
    lines.push(`Cancels the exchange refused: ${r.refused.length}`);
    lines.push(...capped(r.refused, (o) => `${o.clientOrderId} ${o.symbol}: ${o.reason}`));
    lines.push('  ⚠️ The exchange refused to cancel these; check them there.');
  }
  if (r.unknown.length > 0) {
    lines.push(`Still being asked (an update follows once each is settled): ${r.unknown.length}`);
    lines.push(...capped(r.unknown, (o) => `${o.clientOrderId} ${o.symbol}`));
  }
  lines.push(`Queued placements dropped: ${r.placementsDropped}`);
  lines.push(`Grids stopped: ${r.gridsStopped.length > 0 ? listOf(r.gridsStopped) : 'none'}`);
  if (r.flattenPending) lines.push('Market orders: sent once every cancel is settled; the update says what they did.');
  else if (shape.flatten) {
    lines.push(`Market orders sent: ${r.flattened.length === 0 ? 'none' : r.flattened.length}`);
    lines.push(...capped(r.flattened, (o) => `${o.side} ${formatQty(o.quantity)} ${o.symbol} at MARKET: ${o.outcome}`));
  }
  lines.push(`Positions left open: ${open.length === 0 ? 'none' : open.length}`);
  lines.push(...capped(open, (p) => positionLine(p, quoteAsset)));
  lines.push(...r.notes.map((n) => `⚠️ ${n}`));
  lines.push('Send /resume to trade again.');
  return lines.join('\n');
}

type KillMode = 'ask' | 'now' | 'flatten';

const KILL_USAGE = '/kill [now|flatten]';
// Named as the usage writes it, so "takes at most 1 (now|flatten)" reads like the usage line.
const MODE = 'now|flatten';

const killArgs = z
  .object({
    [MODE]: optional(MODE, (text): Check<'now' | 'flatten'> => {
      const word = text.toLowerCase();
      if (word === 'now' || word === 'flatten') return { value: word };
      return {
        problem:
          `unknown argument '${text}': /kill takes 'now' (stop at once, without asking) ` +
          "or 'flatten' (also close every position at MARKET, after you confirm), or nothing (asks to confirm).",
      };
    }),
  })
  .transform((a): KillMode => a[MODE] ?? 'ask');

/**
 * Either a preview to confirm (what would be cancelled, and for flatten what would be sold), or an immediate kill's
 * acknowledgement (its receipt follows on its own).
 */
type KillPlan =
  | { readonly kind: 'ask'; readonly flatten: boolean; readonly status: StatusView; readonly positions: readonly PositionView[] }
  | { readonly kind: 'done'; readonly ack: KillAck };

/** "SELL 0.0025 BTCUSDT at MARKET (last 95000.00 ≈ 237.50 USDT)": the order flatten would send for a position. */
function flattenLine(p: PositionView, quoteAsset: string): string {
  const side = p.quantity > ZERO ? 'SELL' : 'BUY';
  const size = fixed.abs(p.quantity);
  const worth =
    p.lastPrice !== undefined
      ? ` (last ${formatQuote(p.lastPrice)} ≈ ${formatQuote(fixed.mul(size, p.lastPrice, 'floor'))} ${quoteAsset})`
      : '';
  return `${side} ${formatQty(size)} ${p.symbol} at MARKET${worth}`;
}

function killPreview(plan: Extract<KillPlan, { kind: 'ask' }>, ctx: CommandContext): Reply {
  const s = plan.status;
  const lines = [
    plan.flatten ? '⚠️ Kill switch with FLATTEN: trading will be HALTED,' : '⚠️ Kill switch: trading will be HALTED,',
    `every open bot order (${s.openOrders}) cancelled and every running grid (${s.gridsRunning}) stopped.`,
  ];
  if (!plan.flatten) {
    lines.push('Positions stay open; nothing is sold for you (/kill flatten would also close them at market).');
    return { text: lines.join('\n'), buttons: CONFIRM_BUTTONS };
  }
  if (plan.positions.length === 0) {
    lines.push(
      'Then every position will ALSO be closed at MARKET. No position is open right now; any opened before the halt is closed too.',
    );
  } else {
    lines.push(
      'Then every position will ALSO be sold (or bought back) at MARKET, ' +
        `${plan.positions.length} order${plan.positions.length === 1 ? '' : 's'}:`,
    );
    lines.push(...capped(plan.positions, (p) => flattenLine(p, ctx.services.quoteAsset)));
    lines.push('Quantities are as of now; the receipt shows exactly what was sent.');
  }
  lines.push('⚠️ This is irreversible: market orders take whatever price the order book offers, and nothing buys them back for you.');
  return { text: lines.join('\n'), buttons: CONFIRM_BUTTONS };
}

export function killCommand(): Command<KillMode, KillPlan> {
  return defineCommand({
    name: 'kill',
    role: 'trader',
    summary:
      "Emergency stop: halt trading, cancel every bot order, stop every grid (asks to confirm; 'now' does it at once). " +
      "Positions stay open unless you add 'flatten', which also closes each one at market.",
    usage: KILL_USAGE,
    example: '/kill',
    syntax: { positional: [MODE] },
    args: killArgs,
    handler: async (mode, ctx): Promise<Result<KillPlan>> => {
      if (mode === 'now') return ok({ kind: 'done', ack: await ctx.services.kill({ flatten: false }) });
      const flatten = mode === 'flatten';
      return ok({ kind: 'ask', flatten, status: ctx.services.status(), positions: flatten ? openPositions(ctx.services.positions()) : [] });
    },
    render: (plan, ctx) => {
      if (plan.kind === 'ask') return killPreview(plan, ctx);
      return { text: killAckText(plan.ack), urgent: true };
    },
    // `/kill now` has already acted: nothing is left to confirm.
    confirm: (plan, ctx) =>
      plan.kind === 'done'
        ? undefined
        : {
            run: async () => ({ text: killAckText(await ctx.services.kill({ flatten: plan.flatten })), urgent: true }),
          },
  });
}

export function resumeCommand(): Command<Record<string, never>, { readonly from: string; readonly to: string }> {
  return defineCommand({
    name: 'resume',
    // Lifting a halt overrides a safety stop (the daily loss limit, the dead-man's switch, a fault, someone's kill).
    role: 'owner',
    summary: 'Resume trading after /kill or a risk halt.',
    usage: '/resume',
    example: '/resume',
    args: noArgs,
    handler: async (_args, ctx) => ctx.services.resume(),
    render: ({ from, to }) => ({
      text: from === to ? `Trading was already ${to}.` : `▶️ Trading resumed: ${from} → ${to}. Start new grids with /grid.`,
    }),
  });
}
