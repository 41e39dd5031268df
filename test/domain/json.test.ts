import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeJson, encodeJson } from '../../src/domain/index.js';

/** The rule encodeJson keeps, as JSON.stringify itself would apply it. */
const oracle = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? { $big: v.toString() } : v));

/** Anything a state document can hold, and what JSON.stringify handles specially: bigints, undefined, odd numbers and text. */
const values = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.bigInt(),
    fc.string({ unit: 'binary' }),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constantFrom(null, undefined, Number.NaN, -0, Number.POSITIVE_INFINITY),
    fc.date({ noInvalidDate: true }),
  ),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('array'), tie('object')),
  array: fc.array(tie('node'), { maxLength: 6 }),
  object: fc.dictionary(fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('0', '10', '$big', '__proto__x')), tie('node'), {
    maxKeys: 6,
  }),
}));

describe('encodeJson', () => {
  it('writes exactly what JSON.stringify writes with bigints tagged', () => {
    fc.assert(
      fc.property(values.node, (value) => {
        expect(encodeJson(value)).toBe(oracle(value));
      }),
      { numRuns: 2_000 },
    );
  });

  it('gives back every bigint exactly, however large', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n })), (bigs) => {
        expect(decodeJson(encodeJson({ bigs }))).toEqual({ bigs });
      }),
    );
  });
});
