/** An assertion that a snapshot is plain data (what survives JSON and the store's codec). */
import { expect } from 'vitest';

/** Only strings, numbers, booleans, bigints, arrays without holes or undefined, and plain objects without undefined. */
export function expectPlain(v: unknown, path = '$'): void {
  if (['string', 'number', 'boolean', 'bigint'].includes(typeof v)) return;
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      expect(x, `${path}[${i}]`).not.toBeUndefined();
      expectPlain(x, `${path}[${i}]`);
    });
    return;
  }
  expect(v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype, `${path} is a plain object`).toBe(true);
  for (const [k, x] of Object.entries(v as object)) {
    expect(x, `${path}.${k}`).not.toBeUndefined();
    expectPlain(x, `${path}.${k}`);
  }
}
