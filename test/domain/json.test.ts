import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeJson, encodeJson } from '../../src/domain/index.js';

describe('encodeJson', () => {
  it('gives back every bigint exactly, however large', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n })), (bigs) => {
        expect(decodeJson(encodeJson({ bigs }))).toEqual({ bigs });
      }),
    );
  });
});
