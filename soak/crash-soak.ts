/**
 * `npm run soak`: the kill -9 recovery run 20 times with random kill points (seeds 100…119, or SOAK_RUNS/SOAK_SEED),
 * on a spot grid or, with SOAK_MARKET=futures, a neutral x3 futures grid; then the 1,000-placement ORDERS burst at wall
 * time (SOAK_BURST=0 skips it). One line per run; exit 1 on any mismatch.
 */
import { type CrashMarket, crashAndRecover } from '../test/kit/crash-recovery.js';
import { burstAtWallTime } from './burst-soak.js';

const runs = Number(process.env.SOAK_RUNS ?? 20);
const first = Number(process.env.SOAK_SEED ?? 100);
const market: CrashMarket = process.env.SOAK_MARKET === 'futures' ? 'futures' : 'spot';
const show = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
let failed = 0;
for (let seed = first; seed < first + runs; seed++) {
  const r = await crashAndRecover(seed, market);
  const problems: string[] = [];
  if (r.doubled.length > 0) problems.push(`doubled ${show(r.doubled)}`);
  if (r.unknownToBot.length > 0) problems.push(`unknown to the bot ${show(r.unknownToBot)}`);
  if (r.gridIssues.length > 0) problems.push(`grid issues ${show(r.gridIssues)}`);
  if (show(r.bot.openOrders) !== show(r.exchange.openOrders))
    problems.push(`open orders ${show(r.bot.openOrders)} vs ${show(r.exchange.openOrders)}`);
  if (show(r.bot.positions) !== show(r.exchange.positions))
    problems.push(`positions ${show(r.bot.positions)} vs ${show(r.exchange.positions)}`);
  if (r.exitCode !== 0 || r.shutdownMs >= 10_000) problems.push(`SIGTERM exit ${r.exitCode} after ${r.shutdownMs} ms`);
  console.log(
    `${problems.length === 0 ? 'ok  ' : 'FAIL'} ${market} seed ${seed}: fills ${r.fillsBeforeKill} before the kill, ` +
      `${r.fillsWhileDown} while down, ${r.fillsTotal} in all; ` +
      `shutdown ${r.shutdownMs} ms${problems.length ? `\n  ${problems.join('\n  ')}` : ''}`,
  );
  if (problems.length > 0) failed++;
}
console.log(`soak: ${runs - failed} of ${runs} runs recovered exactly`);
if (process.env.SOAK_BURST !== '0' && !(await burstAtWallTime())) failed++;
process.exit(failed === 0 ? 0 : 1);
