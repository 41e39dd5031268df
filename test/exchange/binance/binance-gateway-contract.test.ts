import { SPOT_CATALOG, fx } from '../../../src/domain/index.js';
import { ManualClock } from '../../../src/engine/index.js';
import { BinanceGateway } from '../../../src/exchange/binance/index.js';
import type { VenueListener } from '../../../src/exchange/index.js';
import { SandboxHub, startSandboxServer } from '../../../src/sandbox/index.js';
import { runGatewayContract } from '../gateway-contract.js';

const ACCOUNT = { apiKey: 'contract-key', apiSecret: 'contract-secret' };

/** Counts what reached the gateway's listeners, so `settle` can wait for exactly what the sandbox has sent. */
class DeliveryCounter implements VenueListener {
  private count = 0;
  private waiters: Array<{ target: number; resolve: () => void }> = [];
  onExecution(): void {
    this.bump();
  }
  onBalances(): void {
    this.bump();
  }
  reached(target: number): Promise<void> {
    if (this.count >= target) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ target, resolve }));
  }
  private bump(): void {
    this.count++;
    const due = this.waiters.filter((w) => w.target <= this.count);
    this.waiters = this.waiters.filter((w) => w.target > this.count);
    for (const w of due) w.resolve();
  }
}

// The real binance-api-node client, over real HTTP and WebSocket, against the sandbox exchange on loopback. One
// ManualClock is both the sandbox's server time and the gateway's local time, so signatures and recvWindow checks are
// deterministic.
runGatewayContract('BinanceGateway on binance-api-node against the sandbox server', async () => {
  const clock = new ManualClock(1_760_000_000_000);
  const hub = new SandboxHub({
    instruments: SPOT_CATALOG.map((e) => e.instrument),
    balances: { USDT: fx('10000'), BTC: fx('1') },
    account: ACCOUNT,
    now: () => clock.now(),
  });
  const server = await startSandboxServer({ hub, port: 0 });
  const gateway = new BinanceGateway({ ...ACCOUNT, httpBase: server.httpBase, wsBase: server.wsBase, wsApi: server.wsApi, clock });
  let sent = 0;
  hub.onVenueEvent(() => sent++);
  const counter = new DeliveryCounter();
  const stopCounting = gateway.subscribe(counter);
  const ready = await gateway.userStreamReady();
  if (!ready.ok) throw new Error(`user data stream did not subscribe: ${ready.error.message}`);
  let tradeId = 0;
  return {
    gateway,
    trade: (symbol, price, quantity) => {
      clock.advance(1);
      hub.trade({ symbol, price, quantity, time: clock.now(), tradeId: ++tradeId, isBuyerMaker: false });
    },
    settle: () => counter.reached(sent),
    close: async () => {
      stopCounting();
      await server.close();
    },
  };
});
