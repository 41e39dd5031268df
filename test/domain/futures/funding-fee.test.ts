import { describe, expect, it } from 'vitest';
import { FUNDING_FEE_ROUNDING, format, fundingWalletChange, fx } from '../../../src/domain/index.js';

describe('funding wallet change: −positionAmt · mark · rate', () => {
  const mark = fx('94220.1');
  const pay = (amt: string, rate: string): string => format(fundingWalletChange(fx(amt), mark, fx(rate)));

  it('positive rate: longs pay, shorts receive', () => {
    // 0.5 · 94220.1 · 0.0001 = 4.711005 exactly
    expect(pay('0.5', '0.0001')).toBe('-4.711005');
    expect(pay('-0.5', '0.0001')).toBe('4.711005');
  });

  it('negative rate: shorts pay, longs receive', () => {
    expect(pay('0.5', '-0.0001')).toBe('4.711005');
    expect(pay('-0.5', '-0.0001')).toBe('-4.711005');
  });

  it('a flat position or a zero rate moves nothing', () => {
    expect(fundingWalletChange(0n, mark, fx('0.0001'))).toBe(0n);
    expect(fundingWalletChange(fx('1'), mark, 0n)).toBe(0n);
  });

  it('rounds once, to 8 decimals, flooring the wallet change: the payer pays the ceiling, the receiver gets the floor', () => {
    expect(FUNDING_FEE_ROUNDING).toBe('floor');
    // 0.003 · 94220.1 · 0.00003961 = 0.011196174483 (beyond 8 decimals)
    expect(pay('0.003', '0.00003961')).toBe('-0.01119618');
    expect(pay('-0.003', '0.00003961')).toBe('0.01119617');
    expect(pay('0.003', '-0.00003961')).toBe('0.01119617');
    expect(pay('-0.003', '-0.00003961')).toBe('-0.01119618');
  });

  it('is exact where the product fits in 8 decimals, whatever the size', () => {
    // 1000 BTC at 123456.78 and 0.00012345 = 15240.73949100
    expect(format(fundingWalletChange(fx('1000'), fx('123456.78'), fx('0.00012345')))).toBe('-15240.739491');
  });
});
