/**
 * Engine throughput on a realistic market: the tape's one-minute volatility is 0.1 % (about a BTC minute; the tape's
 * 0.7 % default is tuned for a lively demo) against 0.1 % grid spacing, so most ticks cross nothing and a few in a
 * thousand fill an order and re-arm its neighbour. Targets: ≥ 1M ticks/s, ratio ≥ 0.1, p99 < 50 µs, peak RSS < 200 MB.
 */
import { runEngineBench } from './engine-harness.js';

await runEngineBench({ bench: 'engine_throughput', volatilityPerMinutePct: 0.1 });
