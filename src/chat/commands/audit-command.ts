import { z } from 'zod';
import type { AuditRecord } from '../../audit/index.js';
import { optional, wholeNumber } from '../args.js';
import { type Command, defineCommand } from '../registry.js';

const AUDIT_DEFAULT_COUNT = 20;
const AUDIT_MAX_COUNT = 200;
const LINE_MAX = 180;

/** Who did it, in a few characters: the Telegram user (or the console) and their role; `bot` for what the bot did. */
function actor(r: AuditRecord): string {
  if ('role' in r) return `${r.userId ?? 'console'} ${r.role}`;
  if (r.kind === 'stranger') return `stranger ${r.userId ?? '?'}`;
  return 'bot';
}

function what(r: AuditRecord): string {
  switch (r.kind) {
    case 'command':
      return r.text;
    case 'outcome':
      return `/${r.command} → ${r.ok ? 'ok' : 'not done'}: ${r.summary}`;
    case 'confirmation': {
      const reason = r.reason === undefined ? '' : ` (${r.reason})`;
      return `${r.outcome} ${r.command === undefined ? 'a confirmation' : `/${r.command}`} by ${r.via}${reason}`;
    }
    case 'refused':
      return `refused ${r.text} (needs ${r.need})`;
    case 'stranger':
      return `refused a ${r.update} in ${r.chatType} chat ${r.chatId}${r.repeats > 0 ? ` (+${r.repeats} earlier)` : ''}`;
    case 'order': {
      const order = r.order ? ` ${r.order.type} ${r.order.quantity}${r.order.price ? ` @ ${r.order.price}` : ''} (${r.order.owner})` : '';
      const where = [r.symbol, r.side].filter(Boolean).join(' ');
      return `order ${r.event} ${r.clientOrderId}${where ? ` ${where}` : ''}${order}${r.reason ? `: ${r.reason}` : ''}`;
    }
    case 'grid': {
      const orders = r.orders === undefined ? '' : `, ${r.orders} orders`;
      return `grid ${r.gridId} ${r.event} on ${r.symbol}${orders}${r.reason ? ` (${r.reason})` : ''}`;
    }
    case 'state':
      return `trading ${r.from} → ${r.to}: ${r.reason}`;
    case 'fault':
      return `${r.component} faulted on ${r.messageType}: ${r.error}`;
  }
}

/** One entry on one line: UTC time to the second, who, what. */
function auditLine(r: AuditRecord): string {
  const line = `${r.at.slice(5, 19).replace('T', ' ')} · ${actor(r)} · ${what(r)}`;
  return line.length > LINE_MAX ? `${line.slice(0, LINE_MAX - 1)}…` : line;
}

export function auditCommand(): Command<number, readonly AuditRecord[]> {
  return defineCommand({
    name: 'audit',
    role: 'owner',
    summary: `Show the last entries of the audit trail: who ran what, confirmations, refusals, orders, state changes.`,
    usage: '/audit [COUNT]',
    example: '/audit 50',
    syntax: { positional: ['COUNT'] },
    args: z.object({ COUNT: optional('COUNT', wholeNumber('COUNT', 1, AUDIT_MAX_COUNT)) }).transform((a) => a.COUNT ?? AUDIT_DEFAULT_COUNT),
    handler: async (count, ctx) => ctx.audit.recent(count),
    render: (records) => {
      if (records.length === 0) return { text: '📜 The audit trail is empty.' };
      const head = `📜 Audit trail, the last ${records.length} entries (UTC, oldest first):`;
      return { text: [head, ...records.map(auditLine)].join('\n') };
    },
  });
}
