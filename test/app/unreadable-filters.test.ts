import { type Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { testnetSandbox } from '../kit/testnet-app.js';

const KEY = 'filters-key-0123456789';
const SECRET = 'filters-secret-0123456789';

/** An HTTP front for the sandbox that passes every call through, but rewrites exchangeInfo's bodies with `edit`. */
async function rewritingProxy(
  target: string,
  edit: (body: { symbols: Array<{ symbol: string; filters: Array<Record<string, unknown>> }> }) => void,
): Promise<string> {
  const proxy: Server = createServer((req, res) => {
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
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  onTestFinished(() => new Promise<void>((r) => proxy.close(() => r())));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

describe('a symbol whose filters cannot be read', () => {
  it('is refused at start with the real reason, not as a symbol the exchange does not list', async () => {
    const sandbox = await testnetSandbox({ account: { apiKey: KEY, apiSecret: SECRET }, symbols: ['BTCUSDT', 'ETHUSDT'] });
    const httpBase = await rewritingProxy(sandbox.server.httpBase, (info) => {
      const eth = info.symbols.find((s) => s.symbol === 'ETHUSDT')!;
      // 9 decimals: not exact in telegrid's amounts
      for (const f of eth.filters) if (f.filterType === 'PRICE_FILTER') f.tickSize = '0.000000001';
    });
    // REST through the proxy; the streams straight from the sandbox. NOPEUSDT is not listed at all.
    const { started } = await sandbox.start({ BINANCE_HTTP_BASE: httpBase, MARKET_SYMBOLS: 'BTCUSDT,ETHUSDT,NOPEUSDT' });
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
