/**
 * The house rules from docs/ARCHITECTURE.md, enforced in `npm test`:
 * domain ← engine ← {market, strategy, risk, execution, portfolio} ← chat ← app; exchange/ and store/ are ports;
 * audit/ (domain and engine only) is used by chat and app;
 * sandbox/ imports only domain; indicators/ and charts/ only domain, history/ domain and sandbox, and they are used from
 * strategy, chat and app; folders meet only through each other's index.ts; no cycles.
 */
const middle = '(market|strategy|risk|execution|portfolio)';
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    { name: 'domain-imports-nothing', severity: 'error', from: { path: '^src/domain/' }, to: { path: '^src/(?!domain/)' } },
    { name: 'engine-imports-domain-only', severity: 'error', from: { path: '^src/engine/' }, to: { path: '^src/(?!(domain|engine)/)' } },
    {
      name: 'middle-ring-no-siblings',
      comment: 'market, strategy, risk, execution and portfolio talk over the bus, never by import',
      severity: 'error',
      from: { path: `^src/${middle}/` },
      to: { path: '^src/(chat|app|sandbox)/|^src/(market|strategy|risk|execution|portfolio)/', pathNot: '^src/$1/' },
    },
    { name: 'sandbox-imports-domain-only', severity: 'error', from: { path: '^src/sandbox/' }, to: { path: '^src/(?!(domain|sandbox)/)' } },
    {
      name: 'indicators-and-charts-import-domain-only',
      comment: 'pure computations over candles: what to draw and what it says, never how the bot trades',
      severity: 'error',
      from: { path: '^src/(indicators|charts)/' },
      to: { path: '^src/(?!(domain|indicators|charts)/)', pathNot: '^src/$1/' },
    },
    {
      name: 'history-reads-with-the-sandbox-parsers',
      comment: "history files are read with the sandbox tape's row parsers (one owner of Binance's CSV layout)",
      severity: 'error',
      from: { path: '^src/history/' },
      to: { path: '^src/(?!(domain|sandbox|history)/)' },
    },
    {
      name: 'pure-folders-used-from-above',
      comment: 'indicators, charts and history serve the chat and the app (and strategy for volatility), nothing below them',
      severity: 'error',
      from: { path: '^src/(domain|engine|market|risk|execution|portfolio|exchange|store|sandbox)/' },
      to: { path: '^src/(indicators|charts|history)/' },
    },
    {
      name: 'exchange-is-a-port',
      severity: 'error',
      from: { path: '^src/exchange/' },
      to: { path: '^src/(engine|market|strategy|risk|execution|portfolio|chat|app|store)/' },
    },
    {
      name: 'audit-imports-domain-engine-only',
      comment: 'the audit trail hears the bus and writes Redis; chat and app use it, nothing below them',
      severity: 'error',
      from: { path: '^src/audit/' },
      to: { path: '^src/(?!(domain|engine|audit)/)' },
    },
    {
      name: 'audit-beside-chat',
      severity: 'error',
      from: { path: '^src/(domain|engine|market|strategy|risk|execution|portfolio|exchange|store|sandbox)/' },
      to: { path: '^src/audit/' },
    },
    { name: 'chat-not-app', severity: 'error', from: { path: '^src/chat/' }, to: { path: '^src/(app|sandbox|exchange)/' } },
    {
      name: 'only-through-index',
      comment: "a folder is entered through its index.ts; nobody imports another folder's internals",
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/([^/]+)/.+', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$', '^src/[^/]+/[^/]+/index\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
