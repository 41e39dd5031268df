/**
 * `npm run soak:hostile`: 10,000 seeded hostile Telegram updates (SOAK_UPDATES, SOAK_SEED) at the bot through the real
 * transport against the fake Bot API. Prints the counts; exit 1 if any invariant broke.
 */
import { hostileRun } from '../test/kit/hostile-run.js';

const updates = Number(process.env.SOAK_UPDATES ?? 10_000);
const seed = Number(process.env.SOAK_SEED ?? 20261204);
const started = Date.now();
const r = await hostileRun(seed, updates);
const problems = [
  ...(r.ordersPlaced === 0 ? [] : [`${r.ordersPlaced} orders placed unasked`]),
  ...(r.tradingState === 'ACTIVE' ? [] : [`trading went ${r.tradingState}`]),
  ...(r.withControlCharacters === 0 ? [] : [`${r.withControlCharacters} replies carried control characters`]),
  ...(r.killAcknowledged ? [] : ["the owner's /kill now was not acknowledged"]),
];
console.log(
  `hostile soak, seed ${seed}: ${r.updates} updates from ${r.steps} steps in ${Math.round((Date.now() - started) / 1000)} s; ` +
    `${r.toOwner} messages delivered to the owner's chats and ${r.waitingInOutbox} still paced in the outbox, ` +
    `${r.toStrangers} to strangers, ${r.ordersPlaced} orders placed, trading ${r.tradingState}`,
);
console.log(`by kind: ${JSON.stringify(r.byKind)}`);
console.log(problems.length === 0 ? 'hostile soak: ok' : `hostile soak: FAIL\n  ${problems.join('\n  ')}`);
process.exit(problems.length === 0 ? 0 : 1);
