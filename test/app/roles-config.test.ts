import { describe, expect, it } from 'vitest';
import { allowedUserIdsOf, loadConfig } from '../../src/app/config.js';

function problems(env: Record<string, string>): string {
  const res = loadConfig(env);
  if (res.ok) throw new Error('expected the settings to be refused');
  return res.message;
}

describe('TELEGRAM_ROLES and AUDIT_MAX_ENTRIES', () => {
  it('parses USER_ID:ROLE pairs; unset means no roles (everyone allowed is an owner)', () => {
    const res = loadConfig({ TELEGRAM_ROLES: ' 123:owner, 456:viewer ,789:trader,123:owner' });
    if (!res.ok) throw new Error(res.message);
    expect(res.config.TELEGRAM_ROLES).toEqual({ '123': 'owner', '456': 'viewer', '789': 'trader' });
    const unset = loadConfig({ TELEGRAM_ROLES: '' });
    if (!unset.ok) throw new Error(unset.message);
    expect(unset.config.TELEGRAM_ROLES).toBeUndefined();
    expect(unset.config.AUDIT_MAX_ENTRIES).toBe(100_000);
  });

  it('refuses a bad pair, a user with two roles, and a list without an owner, each with a clear message', () => {
    expect(problems({ TELEGRAM_ROLES: '123:admin' })).toContain(
      'TELEGRAM_ROLES: expected USER_ID:ROLE pairs (a Telegram user id; ROLE one of viewer, trader, owner), ' +
        "e.g. TELEGRAM_ROLES=123456789:owner,987654321:viewer (bad part '123:admin')",
    );
    expect(problems({ TELEGRAM_ROLES: '123:owner,@bob:viewer' })).toContain("(bad part '@bob:viewer')");
    expect(problems({ TELEGRAM_ROLES: '123:owner:x' })).toContain("(bad part '123:owner:x')");
    expect(problems({ TELEGRAM_ROLES: '123:owner,123:viewer' })).toContain(
      'TELEGRAM_ROLES: user 123 is given two roles (owner and viewer); give each user one',
    );
    expect(problems({ TELEGRAM_ROLES: '123:trader,456:viewer' })).toContain(
      'TELEGRAM_ROLES: name at least one owner (users not listed are viewers), e.g. TELEGRAM_ROLES=123456789:owner,987654321:viewer',
    );
    expect(problems({ AUDIT_MAX_ENTRIES: '10' })).toContain('AUDIT_MAX_ENTRIES: expected 100 to 10000000 entries');
  });

  it('lets every user with a role command in the allowed groups, beside TELEGRAM_ALLOWED_USER_IDS; unset lists stay unset', () => {
    const both = loadConfig({ TELEGRAM_ALLOWED_USER_IDS: '111,123', TELEGRAM_ROLES: '123:owner,456:viewer' });
    if (!both.ok) throw new Error(both.message);
    expect(allowedUserIdsOf(both.config)).toEqual(['111', '123', '456']);
    const rolesOnly = loadConfig({ TELEGRAM_ROLES: '123:owner' });
    if (!rolesOnly.ok) throw new Error(rolesOnly.message);
    expect(allowedUserIdsOf(rolesOnly.config)).toBeUndefined(); // every member of an allowed group, as without roles
  });
});
