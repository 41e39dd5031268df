/**
 * The same engine on the demo's lively market (0.7 % per minute, the synthetic tape's default): about one tick in
 * twenty fills an order, so this measures the fill path (report → tracker → portfolio → grid re-arm → risk → venue)
 * far more than the quiet tick path the throughput bench mostly sees.
 */
import { fx } from '../src/domain/index.js';
import { runEngineBench } from './engine-harness.js';

// With the daily-loss halt on, this market's swings halt trading within minutes and the fill path goes quiet; off, so
// the fill path is what gets measured (the throughput bench keeps every default limit).
await runEngineBench({
  bench: 'engine_fill_stress',
  volatilityPerMinutePct: 0.7,
  limits: { maxDailyLoss: fx('0'), maxPositionNotional: fx('0') },
});
