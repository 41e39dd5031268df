import { ZERO, ok } from '../../domain/index.js';
import { noArgs } from '../args.js';
import { listOf } from '../format.js';
import { CONFIRM_BUTTONS, type Command, defineCommand } from '../registry.js';
import type { KillReceipt, StatusView } from '../services.js';
import { MAX_LISTED, positionLine } from './account-commands.js';

function capped<T>(items: readonly T[], line: (item: T) => string): string[] {
  const lines = items.slice(0, MAX_LISTED).map((i) => `  ${line(i)}`);
  if (items.length > MAX_LISTED) lines.push(`  … and ${items.length - MAX_LISTED} more`);
  return lines;
}

/** What the kill switch did, item by item, so the owner knows exactly what is still out there. */
export function killReceiptText(r: KillReceipt, quoteAsset: string): string {
  const open = r.positions.filter((p) => p.quantity !== ZERO);
  const lines = ['🛑 Kill switch done. Trading is HALTED.', `Orders cancelled: ${r.canceled.length}`];
  lines.push(...capped(r.canceled, (o) => `${o.clientOrderId} ${o.symbol}`));
  lines.push(`Cancels that failed: ${r.failed.length}`);
  lines.push(...capped(r.failed, (o) => `${o.clientOrderId} ${o.symbol}: ${o.reason}`));
  if (r.failed.length > 0) lines.push('  ⚠️ These orders may still be live on the exchange; check them there.');
  lines.push(`Grids stopped: ${r.gridsStopped.length > 0 ? listOf(r.gridsStopped) : 'none'}`);
  lines.push(`Positions left open: ${open.length === 0 ? 'none' : open.length}`);
  lines.push(...capped(open, (p) => positionLine(p, quoteAsset)));
  lines.push('Send /resume to trade again.');
  return lines.join('\n');
}

export function killCommand(): Command<Record<string, never>, StatusView> {
  return defineCommand({
    name: 'kill',
    summary: 'Emergency stop (asks to confirm): halt trading, cancel every bot order, stop every grid. Positions stay open.',
    usage: '/kill',
    example: '/kill',
    args: noArgs,
    handler: async (_args, ctx) => ok(ctx.services.status()),
    render: (s) => ({
      text: [
        '⚠️ Kill switch: trading will be HALTED,',
        `every open bot order (${s.openOrders}) cancelled and every running grid (${s.gridsRunning}) stopped.`,
        'Positions stay open; nothing is sold for you.',
      ].join('\n'),
      buttons: CONFIRM_BUTTONS,
    }),
    confirm: (_s, ctx) => ({
      run: async () => ({ text: killReceiptText(await ctx.services.kill(), ctx.services.quoteAsset) }),
    }),
  });
}

export function resumeCommand(): Command<Record<string, never>, { readonly from: string; readonly to: string }> {
  return defineCommand({
    name: 'resume',
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
