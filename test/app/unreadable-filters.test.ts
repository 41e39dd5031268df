import { type Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { startTradingApp } from '../../src/app/trading-app.js';
import { type Instrument, catalogInstrument, fx } from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { SandboxHub, type SandboxServer, startSandboxServer } from '../../src/sandbox/index.js';
import { deleteKeys, uniquePrefix } from '../kit/redis.js';

const KEY = 'filters-key-0123456789';
const SECRET = 'filters-secret-0123456789';
const prefix = uniquePrefix();
let sandbox: SandboxServer | undefined;
let proxy: Server | undefined;
afterEach(async () => {
  await new Promise((r) => (proxy ? proxy.close(r) : r(undefined)));
  await sandbox?.close();
  await deleteKeys(prefix);
});

/** An HTTP front for the sandbox that passes every call through, but rewrites exchangeInfo's bodies with `edit`. */
async function rewritingProxy(
  target: string,
  edit: (body: { symbols: Array<{ symbol: string; filters: Array<Record<string, unknown>> }> }) => void,
): Promise<string> {
  proxy = createServer((req, res) => {
    const upstream = request(`${target}${req.url ?? ''}`, { method: req.method, headers: req.headers }, (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        let body = Buffer.concat(chunks);
        if (req.url?.startsWith('/api/v3/exchangeInfo')) {
          const info = JSON.parse(body.toString('utf8'));
          edit(info);
          body = Buffer.from(JSON.stringify(info));
        }
        const headers = { ...up.headers, 'content-length': String(body.length) };
        delete headers['transfer-encoding'];
        res.writeHead(up.statusCode ?? 502, headers);
        res.end(body);
      });
    });
    req.pipe(upstream);
  });
  await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

describe('a symbol whose filters cannot be read', () => {
  it('is refused at start with the real reason, not as a symbol the exchange does not list', async () => {
    const clock = new ManualClock(1_741_046_400_000);
    const instruments = ['BTCUSDT', 'ETHUSDT'].map((s) => catalogInstrument(s) as Instrument);
    const hub = new SandboxHub({
      instruments,
      balances: { USDT: fx('5000') },
      account: { apiKey: KEY, apiSecret: SECRET },
      now: () => clock.now(),
    });
    sandbox = await startSandboxServer({ hub });
    const httpBase = await rewritingProxy(sandbox.httpBase, (info) => {
      const eth = info.symbols.find((s) => s.symbol === 'ETHUSDT')!;
      // 9 decimals: not exact in telegrid's amounts
      for (const f of eth.filters) if (f.filterType === 'PRICE_FILTER') f.tickSize = '0.000000001';
    });
    const config = loadConfig({
      TRADING_MODE: 'testnet',
      BINANCE_API_KEY: KEY,
      BINANCE_API_SECRET: SECRET,
      BINANCE_HTTP_BASE: httpBase,
      BINANCE_WS_BASE: sandbox.wsBase,
      BINANCE_WS_API: sandbox.wsApi,
      MARKET_SYMBOLS: 'BTCUSDT,ETHUSDT,NOPEUSDT',
      KEY_PREFIX: prefix,
    });
    if (!config.ok) throw new Error(config.message);
    const started = await startTradingApp(config.config, {
      input: new PassThrough(),
      output: new PassThrough(),
      clock,
      log: pino({ level: 'silent' }),
      terminal: false,
    });
    expect(started.ok).toBe(false);
    const message = started.ok ? '' : started.error.message;
    expect(message).toContain(
      'the exchange lists ETHUSDT, but its filters cannot be read exactly ' +
        '(PRICE_FILTER tickSize "0.000000001" is not an exact 8-decimal number)',
    );
    expect(message).toContain('the exchange does not list NOPEUSDT');
    expect(message).not.toContain('does not list ETHUSDT');
  });
});
