/**
 * The same engine on the demo's lively market (0.7 % per minute, the synthetic tape's default): about one tick in
 * twenty fills an order, so this measures the fill path (report → tracker → portfolio → grid re-arm → risk → venue)
 * far more than the quiet tick path the throughput bench mostly sees.
 */
import { runEngineBench } from './engine-harness.js';

await runEngineBench({ bench: 'engine_fill_stress', volatilityPerMinutePct: 0.7 });
