import { ok } from '../../domain/index.js';
import { noArgs } from '../args.js';
import { formatDuration, table } from '../format.js';
import { type Command, defineCommand } from '../registry.js';
import type { LimitsView, RateLimitUse } from '../services.js';

/** "weight 1m", "orders 10s": the limit as Binance names it in exchangeInfo, without the rule id's colon. */
function ruleName(rule: RateLimitUse): string {
  return rule.id.replace(':', ' ');
}

/** The share used, to a tenth of a percent: these are counts of requests, not money. */
function share(used: number, limit: number): string {
  return `${((used / limit) * 100).toFixed(1)} %`;
}

function ago(ms: number | undefined): string {
  return ms === undefined ? 'never' : `${formatDuration(ms)} ago`;
}

/** The reply to /limits: each exchange limit against its use, then the 429s, the order queues and the outbox. */
function limitsText(v: LimitsView): string {
  const lines = ['Exchange limits (used by the bot / limit):'];
  const rows = v.rules.map((r) => {
    const exchange = r.exchangeSays === undefined ? '' : `exchange counts ${r.exchangeSays}`;
    return [ruleName(r), `${r.used} / ${r.limit}`, share(r.used, r.limit), exchange];
  });
  lines.push(...(rows.length > 0 ? table(rows) : ['  none reported by the exchange']));
  if (v.exchangeSaidAgoMs !== undefined) lines.push(`  (the exchange's counts are from its answer ${ago(v.exchangeSaidAgoMs)})`);
  const paused = v.pausedForMs > 0 ? ` · requests held back for another ${formatDuration(v.pausedForMs)}` : '';
  lines.push(`Exchange 429/418 answers: ${v.rateLimited.count}, last ${ago(v.rateLimited.lastAgoMs)}${paused}`);
  const oldest = v.queues.filter((q) => q.oldestAgeMs !== undefined).sort((a, b) => (b.oldestAgeMs ?? 0) - (a.oldestAgeMs ?? 0))[0];
  lines.push(`Order queues: ${v.queues.map((q) => `${q.name} ${q.waiting} waiting, ${q.active} running`).join(' · ') || 'none'}`);
  lines.push(`Oldest queued job: ${oldest ? `${formatDuration(oldest.oldestAgeMs ?? 0)} (${oldest.name})` : 'none'}`);
  if (v.outbox) {
    const lanes = Object.entries(v.outbox.depth);
    const total = lanes.reduce((sum, [, n]) => sum + n, 0);
    const perLane = lanes.map(([lane, n]) => `${lane} ${n}`).join(', ');
    const oldestNote = v.outbox.oldestAgeMs === undefined ? '' : `, oldest ${formatDuration(v.outbox.oldestAgeMs)}`;
    lines.push(`Outbox: ${total} waiting${perLane ? ` (${perLane})` : ''}${oldestNote} · dropped ${v.outbox.dropped}`);
    lines.push(`Telegram 429: last ${ago(v.outbox.last429AgoMs)}`);
  }
  for (const missing of v.unavailable ?? []) lines.push(`⚠️ ${missing}`);
  return lines.join('\n');
}

/** Read-only (a viewer may use it): what the bot spends of the exchange's rate limits and what waits to go out. */
export function limitsCommand(): Command<Record<string, never>, LimitsView> {
  return defineCommand({
    name: 'limits',
    role: 'viewer',
    summary: "Show the exchange's request and order limits against what the bot used, 429s, queue and outbox depth.",
    usage: '/limits',
    example: '/limits',
    args: noArgs,
    handler: async (_args, ctx) => ok(await ctx.services.limits()),
    render: (view) => ({ text: limitsText(view) }),
  });
}
