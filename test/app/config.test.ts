import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { fx } from '../../src/domain/index.js';

describe('configuration', () => {
  it('runs a paper demo with no settings at all', () => {
    const res = loadConfig({});
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.config.TRADING_MODE).toBe('paper');
    expect(res.config.MARKET_DATA).toBe('synthetic');
    expect(res.config.PAPER_BALANCES).toEqual({ USDT: fx('10000') });
    expect(res.config.GRID_DEFAULT_AMOUNT).toBe(fx('100'));
  });

  it('parses explicit values exactly', () => {
    const res = loadConfig({
      PAPER_BALANCES: 'USDT=2500.5,BTC=0.01',
      MAKER_FEE: '0.00075',
      TELEGRAM_ALLOWED_CHAT_IDS: '123, -1001',
      MARKET_DATA: 'replay:/tmp/x.csv',
    });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.config.PAPER_BALANCES).toEqual({ USDT: fx('2500.5'), BTC: fx('0.01') });
    expect(res.config.MAKER_FEE).toBe(fx('0.00075'));
    expect(res.config.TELEGRAM_ALLOWED_CHAT_IDS).toEqual(['123', '-1001']);
  });

  it('treats an empty value as unset', () => {
    const res = loadConfig({ TRADING_MODE: '', BINANCE_API_KEY: '' });
    expect(res.ok && res.config.TRADING_MODE).toBe('paper');
  });

  it('lists every problem at once with the expected form', () => {
    const res = loadConfig({
      TRADING_MODE: 'live',
      RISK_MAX_DAILY_LOSS: 'lots',
      MARKET_DATA: 'yahoo',
      PAPER_BALANCES: 'USDT:100',
      TELEGRAM_BOT_TOKEN: 'nope',
      RISK_STALE_AFTER_SECONDS: '1.5',
      REDIS_URL: 'localhost',
    });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    for (const key of [
      'RISK_MAX_DAILY_LOSS',
      'MARKET_DATA',
      'PAPER_BALANCES',
      'TELEGRAM_BOT_TOKEN',
      'RISK_STALE_AFTER_SECONDS',
      'REDIS_URL',
      'BINANCE_API_KEY',
      'BINANCE_API_SECRET',
    ]) {
      expect(res.message).toContain(`- ${key}:`);
    }
    expect(res.message).toContain('e.g. RISK_MAX_DAILY_LOSS=500');
    expect(res.message).toContain('required when TRADING_MODE=live');
    expect(res.message).toMatch(/^telegrid cannot start: 8 setting\(s\) are invalid/);
  });

  it('rejects an unknown trading mode with the choices', () => {
    const res = loadConfig({ TRADING_MODE: 'demo' });
    expect(!res.ok && res.message).toContain('TRADING_MODE: expected paper, testnet or live');
  });
});
