import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { ZERO, fx } from '../../src/domain/index.js';
import { connect, deleteKeys, uniquePrefix } from '../kit/redis.js';
import { engineWithStore } from './state-kit.js';

let redis: Redis;
const prefixes: string[] = [];

beforeAll(async () => {
  redis = await connect();
});

afterAll(async () => {
  for (const p of prefixes) await deleteKeys(p);
  await redis.quit();
});

function prefix(): string {
  const p = uniquePrefix();
  prefixes.push(p);
  return p;
}

/** A futures book with a position, fees and a funding payment, written by the store under `p`. */
async function storedBook(p: string) {
  const rig = engineWithStore(redis, p);
  rig.engine.host.add(rig.store);
  const bus = rig.engine.host.bus;
  const fill = (side: 'BUY' | 'SELL', qty: string, price: string, fee: string, tradeId: number) =>
    bus.publish({
      type: 'OrderFilled',
      clientOrderId: `tg_G1_${tradeId}_B1`,
      symbol: 'BTCUSDT.P',
      side,
      owner: { kind: 'grid', gridId: 'G1' },
      time: 1,
      tradeId,
      price: fx(price),
      quantity: fx(qty),
      quote: ZERO,
      commission: fx(fee),
      commissionAsset: 'USDT',
      isMaker: true,
      cumQty: fx(qty),
      complete: true,
      feeQuote: fx(fee),
    });
  fill('BUY', '0.01', '95000', '0.19', 1);
  fill('SELL', '0.004', '96000', '0.0768', 2);
  bus.publish({
    type: 'MarkPriceTicked',
    symbol: 'BTCUSDT.P',
    markPrice: fx('95500'),
    fundingRate: fx('0.0001'),
    nextFundingTime: 0,
    time: 2,
  });
  bus.publish({
    type: 'FuturesAccountReported',
    update: {
      reason: 'FUNDING_FEE',
      time: 3,
      balances: [{ asset: 'USDT', walletBalance: fx('1000'), crossWalletBalance: fx('1000'), balanceChange: fx('-0.0573') }],
      positions: [],
    },
  });
  await rig.store.commit();
  return rig;
}

describe('the futures book in the state store', () => {
  it('is written after its changes and comes back whole in a fresh process', async () => {
    const p = prefix();
    const before = await storedBook(p);
    const fresh = engineWithStore(redis, p);
    const loaded = await fresh.store.load();
    expect(loaded.ok && loaded.value?.futures).toBeTruthy();
    if (!loaded.ok || loaded.value === undefined) return;
    expect(fresh.store.restore(loaded.value)).toEqual({ ok: true, value: undefined });
    expect(fresh.engine.futuresBook.exportState()).toEqual(before.engine.futuresBook.exportState());
    expect(fresh.engine.futuresBook.positionView('BTCUSDT.P')).toMatchObject({
      amount: fx('0.006'),
      funding: fx('-0.0573'),
      fees: fx('0.2668'),
    });
  });

  it('a damaged document is refused at start, naming the key and what deleting it does', async () => {
    const p = prefix();
    await storedBook(p);
    const key = `${p}:state:futures`;
    const doc = JSON.parse((await redis.get(key)) ?? '{}') as { symbols: { leverage: number }[] };
    (doc.symbols[0] as { leverage: number }).leverage = 0;
    await redis.set(key, JSON.stringify(doc));
    const loaded = await engineWithStore(redis, p).store.load();
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.error.message).toContain(key);
    expect(!loaded.ok && loaded.error.message).toContain('positions are then taken from the venue at start');
  });
});
