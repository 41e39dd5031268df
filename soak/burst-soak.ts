/**
 * The ORDERS-limit burst at wall time: 1,000 placements against Binance's 50 per 10 s (about 200 s). The test suite
 * runs the same on a clock 20 times faster; this is the real-time check. Prints one line; exits 1 on a 429 or a rate
 * under 80 % of the limit.
 */
import { pipelineRig } from '../test/kit/pipeline-rig.js';
import { until } from '../test/kit/until.js';

export async function burstAtWallTime(): Promise<boolean> {
  const rig = await pipelineRig({ symbols: ['BTCUSDT', 'ETHUSDT', 'BNBUSDT', 'SOLUSDT', 'XRPUSDT'] });
  try {
    rig.submit(rig.restingBuys(1_000));
    await until(() => rig.accepted.size === 1_000, 400_000);
    const limited = rig.responses.filter((r) => r.status === 429 || r.status === 418).length;
    const times = [...rig.accepted.values()].map((t) => t[0]!).sort((a, b) => a - b);
    const rate = (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000);
    const ok = limited === 0 && rate >= 0.8 * 5;
    console.log(
      `${ok ? 'ok  ' : 'FAIL'} burst at wall time: 1000 placements, ${limited} 429/418, ` +
        `${rate.toFixed(3)} orders/s against a limit of 5/s (${((rate / 5) * 100).toFixed(1)} %)`,
    );
    return ok;
  } finally {
    await rig.close();
  }
}
