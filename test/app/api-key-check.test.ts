import { describe, expect, it } from 'vitest';
import { checkApiKey } from '../../src/app/api-key-check.js';
import { type Result, err, ok } from '../../src/domain/index.js';
import type { ApiRestrictions } from '../../src/exchange/binance/index.js';
import type { GatewayFailure } from '../../src/exchange/index.js';

const TRADING_ONLY: ApiRestrictions = { ipRestrict: true, enableReading: true, enableSpotAndMarginTrading: true, enableWithdrawals: false };

const source = (answer: Result<ApiRestrictions, GatewayFailure>) => ({ apiRestrictions: async () => answer });
const key = (over: Partial<ApiRestrictions>) => source(ok({ ...TRADING_ONLY, ...over }));

describe('checkApiKey', () => {
  it('accepts an IP-restricted trading-only key without warnings', async () => {
    expect(await checkApiKey(key({}), { allowWithdrawals: false })).toEqual(ok({ warnings: [] }));
  });

  it('refuses a key that can withdraw, saying what to change', async () => {
    const r = await checkApiKey(key({ enableWithdrawals: true }), { allowWithdrawals: false });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('API_KEY_CAN_WITHDRAW');
    expect(r.error.message).toContain('untick "Enable Withdrawals"');
    expect(r.error.message).toContain('ALLOW_WITHDRAWAL_KEY=true');
  });

  it('accepts a withdrawing key with the override, with a warning', async () => {
    const r = await checkApiKey(key({ enableWithdrawals: true }), { allowWithdrawals: true });
    expect(r.ok && r.value.warnings).toEqual([expect.stringContaining('can withdraw')]);
  });

  it('refuses a key without spot trading, even with the override', async () => {
    const r = await checkApiKey(key({ enableSpotAndMarginTrading: false, enableWithdrawals: true }), { allowWithdrawals: true });
    expect(!r.ok && r.error.code).toBe('API_KEY_CANNOT_TRADE');
    expect(!r.ok && r.error.message).toContain('Enable Spot & Margin Trading');
  });

  it('with FUTURES_SYMBOLS set, refuses a key that cannot trade futures, saying what to tick', async () => {
    const r = await checkApiKey(key({}), { allowWithdrawals: false, futures: true });
    expect(!r.ok && r.error.code).toBe('API_KEY_CANNOT_TRADE_FUTURES');
    expect(!r.ok && r.error.message).toContain('"Enable Futures"');
    expect(await checkApiKey(key({ enableFutures: true }), { allowWithdrawals: false, futures: true })).toEqual(ok({ warnings: [] }));
    expect(await checkApiKey(key({}), { allowWithdrawals: false, futures: false })).toEqual(ok({ warnings: [] }));
  });

  it('warns, not refuses, when the key has no IP restriction', async () => {
    const r = await checkApiKey(key({ ipRestrict: false }), { allowWithdrawals: false });
    expect(r.ok && r.value.warnings).toEqual([expect.stringContaining('not restricted to trusted IPs')]);
  });

  it('refuses when the permissions cannot be read in live mode', async () => {
    const failed = source(err({ kind: 'rejected', code: 'HTTP_404', message: 'Not Found' }));
    const r = await checkApiKey(failed, { allowWithdrawals: false });
    expect(!r.ok && r.error.code).toBe('API_KEY_UNCHECKED');
    expect(!r.ok && r.error.message).toContain('Not Found');
    expect((await checkApiKey(failed, { allowWithdrawals: false, mode: 'live' })).ok).toBe(false);
  });

  it('on testnet, warns when Binance refuses the request but still refuses on network trouble', async () => {
    const refused = await checkApiKey(source(err({ kind: 'rejected', code: 'HTTP_404', message: 'Not Found' })), {
      allowWithdrawals: false,
      mode: 'testnet',
    });
    expect(refused.ok && refused.value.warnings).toEqual([expect.stringContaining('testnet did not report')]);
    const down = await checkApiKey(source(err({ kind: 'retryable', code: 'NETWORK_ECONNREFUSED', message: 'refused' })), {
      allowWithdrawals: false,
      mode: 'testnet',
    });
    expect(down.ok).toBe(false);
  });

  it('still judges a key the testnet does report', async () => {
    const r = await checkApiKey(key({ enableWithdrawals: true }), { allowWithdrawals: false, mode: 'testnet' });
    expect(!r.ok && r.error.code).toBe('API_KEY_CAN_WITHDRAW');
  });
});
