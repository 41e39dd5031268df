import type { BuildOptions } from 'esbuild';

/**
 * How every benchmark bundles TypeScript into one plain .mjs for bare `node` (ESM, Node 20, names kept for readable
 * profiles). node-fetch stays outside the bundle (loaded from node_modules, so a bundle must sit in a folder under
 * bench/): the Binance adapter notes a 429's Retry-After by wrapping node-fetch's module record, which a bundled copy
 * would not have. The chart libraries stay outside for their binary and their size.
 */
export const BUNDLE_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  external: ['node-fetch', '@resvg/resvg-js', 'echarts'],
  // A CommonJS dependency bundled into ESM calls require(); give it Node's.
  banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
};
