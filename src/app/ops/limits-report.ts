import type { LimitsView } from '../../chat/index.js';
import { bounded } from './bounded.js';
import type { HealthSources, OpsParts } from './ops-sources.js';
import type { OrderQueues } from './order-queues.js';

/**
 * `/limits`: each exchange rate limit (exchangeInfo) against the bot's own count in the shared budget and the exchange's
 * count from its last answer's headers, the 429s, the order queues and the outbox. Every Redis read is bounded, so the
 * command answers (saying what is missing) while Redis is away.
 */
export async function limitsReport(parts: OpsParts, queues: OrderQueues, sources: HealthSources): Promise<LimitsView> {
  const now = parts.clock.now();
  const wallNow = Date.now();
  const pipelineNow = parts.pipelineNow();
  const [usage, paused, depths, outbox] = await Promise.all([
    bounded(() => parts.governor.usage(pipelineNow)),
    bounded(() => parts.governor.pausedUntil(pipelineNow)),
    bounded(() => queues.depths(wallNow)),
    sources.outbox ? bounded(sources.outbox) : undefined,
  ]);
  const unavailable: string[] = [];
  if (!usage.ok) unavailable.push(`the rate budget could not be read: ${usage.why}`);
  if (!depths.ok) unavailable.push(`the order queues could not be read: ${depths.why}`);
  if (outbox && !outbox.ok) unavailable.push(`the outbox could not be read: ${outbox.why}`);

  const said = parts.exchangeUsage();
  const rules = (usage.ok ? usage.value : []).map((rule) => {
    const exchangeSays = said.counts[rule.id];
    return exchangeSays === undefined ? rule : { ...rule, exchangeSays };
  });
  const activity = parts.gateway.activity();
  const lastAt = activity.rateLimited.lastAt;
  return {
    rules,
    ...(said.at === undefined ? {} : { exchangeSaidAgoMs: Math.max(0, wallNow - said.at) }),
    pausedForMs: paused.ok && paused.value > 0 ? paused.value - pipelineNow : 0,
    rateLimited: { count: activity.rateLimited.count, ...(lastAt === undefined ? {} : { lastAgoMs: Math.max(0, now - lastAt) }) },
    queues: depths.ok ? depths.value : [],
    ...(outbox?.ok
      ? {
          outbox: {
            depth: outbox.value.depth,
            ...(outbox.value.oldestAgeMs === undefined ? {} : { oldestAgeMs: outbox.value.oldestAgeMs }),
            dropped: outbox.value.dropped,
            ...(outbox.value.last429At === undefined ? {} : { last429AgoMs: Math.max(0, wallNow - outbox.value.last429At) }),
          },
        }
      : {}),
    ...(unavailable.length > 0 ? { unavailable } : {}),
  };
}
