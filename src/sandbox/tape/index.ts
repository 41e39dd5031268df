export { type TapeSource, type TapeFailure, type TapeFailureCode, ArrayTape } from './tape-source.js';
export {
  type SyntheticSymbol,
  type SyntheticTapeOptions,
  SYNTHETIC_DEFAULTS,
  SyntheticTape,
  syntheticTape,
  catalogSymbols,
} from './synthetic-tape.js';
export { type TapeCsvOptions, type TapeLayout, parseTapeCsv, detectLayout, symbolFromFileName } from './csv-replay.js';
export { type Kline, type KlinePathOptions, type PathState, parseKline, expandKline } from './kline-csv.js';
export { loadTape } from './load-tape.js';
export { mergeTapes } from './merge-tapes.js';
export { type Random, mulberry32 } from './seeded-random.js';
