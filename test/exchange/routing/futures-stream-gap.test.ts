import { describe, expect, it } from 'vitest';
import type { FuturesGateway, VenueListener } from '../../../src/exchange/index.js';
import { CumQuoteLedger } from '../../../src/exchange/routing/cum-quote-ledger.js';
import { FuturesStreamRelay } from '../../../src/exchange/routing/futures-stream-relay.js';

describe('the futures user stream coming back after a gap', () => {
  it('is told to the listener once per gap, never for the first ready', () => {
    let back = 0;
    const listener: VenueListener = { onExecution: () => undefined, onBalances: () => undefined, onFuturesStreamBack: () => back++ };
    const relay = new FuturesStreamRelay(listener, {} as FuturesGateway, new CumQuoteLedger());
    const state = (s: 'ready' | 'renewing' | 'failed') => relay.onStreamState({ state: s, reason: 'test', time: 0 });
    state('ready');
    expect(back).toBe(0);
    state('renewing');
    state('ready');
    expect(back).toBe(1);
    state('ready');
    expect(back).toBe(1);
    state('failed');
    state('renewing');
    state('ready');
    expect(back).toBe(2);
  });
});
