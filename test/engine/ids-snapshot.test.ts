import { describe, expect, it } from 'vitest';
import { SequentialIds } from '../../src/engine/index.js';

const roundTrip = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('SequentialIds state', () => {
  it('exports the counters as plain data and continues from them after import', () => {
    const a = new SequentialIds();
    a.next('G');
    a.next('G');
    a.next('tg_G1_');
    const saved = roundTrip(a.exportState());
    expect(saved).toEqual({ G: 2, tg_G1_: 1 });
    expect(Object.getPrototypeOf(saved)).toBe(Object.prototype);

    const b = new SequentialIds();
    b.importState(saved);
    expect(b.next('G')).toBe('G3');
    expect(b.next('tg_G1_')).toBe('tg_G1_2');
    expect(b.next('X')).toBe('X1');
    expect(a.next('G')).toBe('G3');
  });

  it('never moves a counter backwards', () => {
    const ids = new SequentialIds({ G: 5 });
    ids.importState({ G: 3, H: 7 });
    expect(ids.next('G')).toBe('G6');
    expect(ids.next('H')).toBe('H8');
    ids.importState({ G: 10 });
    expect(ids.next('G')).toBe('G11');
    expect(ids.exportState()).toEqual({ G: 11, H: 8 });
  });

  it('refuses a counter that is not a count', () => {
    const ids = new SequentialIds();
    expect(() => ids.importState({ G: -1 })).toThrow(/G/);
    expect(() => ids.importState({ G: 1.5 })).toThrow(/G/);
    expect(() => ids.importState({ G: '3' as unknown as number })).toThrow(/G/);
    expect(ids.exportState()).toEqual({});
  });
});
