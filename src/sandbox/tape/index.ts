export { ArrayTape } from './tape-source.js';
export { type SyntheticSymbol, type SyntheticTapeOptions, SYNTHETIC_DEFAULTS, syntheticTape, catalogSymbols } from './synthetic-tape.js';
export { MAX_UNIVERSE, syntheticUniverse } from './synthetic-universe.js';
export { parseTapeCsv } from './csv-replay.js';
export { parseKline, expandKline } from './kline-csv.js';
export { csvLines } from './csv-fields.js';
export { loadTape } from './load-tape.js';
export { mergeTapes } from './merge-tapes.js';
export { mulberry32 } from './seeded-random.js';
