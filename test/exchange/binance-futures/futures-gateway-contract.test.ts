import { SPOT_CATALOG, fx, venueSymbol } from '../../../src/domain/index.js';
import { ManualClock } from '../../../src/engine/index.js';
import { BinanceFuturesGateway } from '../../../src/exchange/binance-futures/index.js';
import { SandboxHub, startSandboxServer } from '../../../src/sandbox/index.js';
import { runFuturesGatewayContract } from '../futures-gateway-contract.js';

const ACCOUNT = { apiKey: 'futures-contract-key', apiSecret: 'futures-contract-secret' };
/**
 * 2025-10-09 15:55 UTC, five minutes before a funding settlement: the jump to it stays inside the listenKey's hour. The
 * library keeps the key alive every 50 s of wall time, which a manual clock's jumps do not give it.
 */
const T0 = 1_760_025_300_000;

// The real binance-api-node client over real HTTP and WebSocket against the sandbox on loopback. One ManualClock is
// the sandbox's server time and the gateway's local time; the streams' real-time pulse and pings are off, so expiry,
// funding and countdowns happen only when the test moves the clock and the hub acts on it.
runFuturesGatewayContract('BinanceFuturesGateway on binance-api-node against the sandbox server', async () => {
  const clock = new ManualClock(T0);
  const hub = new SandboxHub({
    instruments: SPOT_CATALOG.map((e) => e.instrument),
    account: ACCOUNT,
    now: () => clock.now(),
    futuresAccount: { walletBalance: fx('10000') },
  });
  const server = await startSandboxServer({ hub, port: 0, futuresStreams: { pulseMs: 0, pingIntervalMs: 0 } });
  const root = server.httpBase.replace(/^http/, 'ws');
  const gateway = new BinanceFuturesGateway({
    ...ACCOUNT,
    httpFutures: server.httpBase,
    wsFuturesPublic: `${root}/public/ws`,
    wsFuturesMarket: `${root}/market/ws`,
    wsFuturesPrivate: `${root}/private/ws`,
    clock,
  });
  let tradeId = 0;
  return {
    gateway,
    trade: (symbol, price, quantity) => {
      clock.advance(1);
      hub.trade({ symbol: venueSymbol(symbol), price, quantity, time: clock.now(), tradeId: ++tradeId, isBuyerMaker: false });
    },
    advance: (ms) => {
      clock.advance(ms);
      hub.advanceFutures();
    },
    now: () => clock.now(),
    streamReady: async () => {
      const ready = await gateway.userStreamReady();
      if (!ready.ok) throw new Error(`user data stream did not open: ${ready.error.message}`);
    },
    close: async () => {
      gateway.close();
      await server.close();
    },
  };
});
