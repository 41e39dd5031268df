import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { format, fx } from '../../../src/domain/index.js';
import { isSkip, parseTradeFrame } from '../../../src/market/index.js';

const data = {
  e: 'trade',
  E: 1672515782136,
  s: 'BNBBTC',
  t: 12345,
  p: '0.00100000',
  q: '100.00000000',
  T: 1672515782136,
  m: true,
  M: true,
};
const wrap = (d: unknown): string => JSON.stringify({ stream: 'bnbbtc@trade', data: d });

describe('parseTradeFrame', () => {
  it("reads Binance's combined trade frame exactly", () => {
    expect(parseTradeFrame(wrap(data))).toEqual({
      symbol: 'BNBBTC',
      price: fx('0.001'),
      quantity: fx('100'),
      time: 1672515782136,
      tradeId: 12345,
      isBuyerMaker: true,
    });
  });

  it('reads other decimal spellings exactly too', () => {
    const r = parseTradeFrame(wrap({ ...data, p: '0.001', q: '12345678901234.5' }));
    expect(r).toMatchObject({ price: fx('0.001'), quantity: fx('12345678901234.5') });
  });

  it.each([
    ['not JSON', '{"stream":'],
    ['not an object', 'null'],
    ['no data object', '{"result":null,"id":1}'],
    ['not a trade event: aggTrade', wrap({ ...data, e: 'aggTrade' })],
    ['bad symbol', wrap({ ...data, s: '' })],
    ['bad trade id', wrap({ ...data, t: '12345' })],
    ['bad trade time', wrap({ ...data, T: 1.5 })],
    ['bad buyer-maker flag', wrap({ ...data, m: undefined })],
    ['bad price', wrap({ ...data, p: 0.001 })],
    ['bad price', wrap({ ...data, p: '0.000000001' })],
    ['bad price', wrap({ ...data, p: '0' })],
    ['bad quantity', wrap({ ...data, q: '-1' })],
    ['bad quantity', wrap({ ...data, q: '-1.00000000' })],
    ['bad quantity', wrap({ ...data, q: '1e5.00000000' })],
  ])('skips a frame with %s', (reason, text) => {
    expect(parseTradeFrame(text)).toEqual({ skip: 'invalid', reason });
  });

  it('recognises the server shutdown notice', () => {
    const r = parseTradeFrame('{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1}}');
    expect(isSkip(r) && r.skip).toBe('shutdown');
  });

  it('round-trips any 8-decimal price and quantity exactly', () => {
    const positive = fc.bigInt({ min: 1n, max: 10n ** 20n });
    fc.assert(
      fc.property(positive, positive, (p, q) => {
        const r = parseTradeFrame(wrap({ ...data, p: format(p, 8), q: format(q, 8) }));
        return !isSkip(r) && r.price === p && r.quantity === q;
      }),
    );
  });
});
