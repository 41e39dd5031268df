import { describe, expect, it } from 'vitest';
import { testnetSandbox } from '../kit/testnet-app.js';

const KEY = 'keycheck-key-0123456789';
const SECRET = 'keycheck-secret-0123456789';

/** testnet mode against a sandbox standing in for Binance, whose API key can (or cannot) withdraw. */
async function startWith(canWithdraw: boolean, env: Record<string, string> = {}) {
  const sandbox = await testnetSandbox({
    account: { apiKey: KEY, apiSecret: SECRET },
    server: { apiRestrictions: { enableWithdrawals: canWithdraw } },
  });
  return sandbox.start(env);
}

describe('the API key is checked before any order', () => {
  it('refuses to start with a key that can withdraw, saying what to change', async () => {
    const { started } = await startWith(true);
    expect(started.ok).toBe(false);
    if (started.ok) return;
    expect(started.error.code).toBe('API_KEY_CAN_WITHDRAW');
    expect(started.error.message).toMatch(/Enable Withdrawals/);
    expect(started.error.message).toContain('ALLOW_WITHDRAWAL_KEY');
    expect(started.error.message).not.toContain(SECRET);
  });

  it('starts with ALLOW_WITHDRAWAL_KEY=true, and says in the chat what that means', async () => {
    const { started, screen } = await startWith(true, { ALLOW_WITHDRAWAL_KEY: 'true' });
    expect(started.ok).toBe(true);
    expect(screen()).toMatch(/withdraw/i);
  });

  it('starts with a trading-only key', async () => {
    const { started } = await startWith(false);
    expect(started.ok).toBe(true);
  });
});
