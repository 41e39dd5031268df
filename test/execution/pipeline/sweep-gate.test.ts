import { describe, expect, it } from 'vitest';
import type { PipelineTime } from '../../../src/execution/pipeline/pipeline-time.js';
import { SweepGate } from '../../../src/execution/pipeline/sweep-gate.js';

/** A clock moved by hand: a sleep resolves when `advance` passes its end. */
function handClock() {
  let at = 1_000;
  const sleepers: { end: number; wake: () => void }[] = [];
  const time: PipelineTime = {
    now: () => at,
    sleep: (ms) => new Promise<void>((wake) => sleepers.push({ end: at + ms, wake })),
  };
  const advance = async (ms: number) => {
    at += ms;
    for (const s of sleepers.splice(0))
      if (s.end <= at) s.wake();
      else sleepers.push(s);
    // Let every continuation run (the gate re-checks its end after each sleep).
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  return { time, advance };
}

describe('the sweep gate', () => {
  it('lets requests through at once while open', async () => {
    const { time } = handClock();
    const gate = new SweepGate(time);
    await expect(gate.pass()).resolves.toBeUndefined();
  });

  it('holds every request until the latest end set, however late it moved, and then releases them together', async () => {
    const { time, advance } = handClock();
    const gate = new SweepGate(time);
    const passed: string[] = [];
    gate.closeUntil(2_000); // the first 429 of a round: Retry-After 1 s
    for (const name of ['a', 'b', 'c']) void gate.pass().then(() => passed.push(name));
    await advance(5);
    gate.closeUntil(2_008); // a later 429 of the same round, 8 ms behind
    gate.closeUntil(1_500); // never earlier
    await advance(995); // 2_000: the first end has passed, the latest has not
    expect(passed).toEqual([]);
    await advance(8);
    expect(passed).toEqual(['a', 'b', 'c']);
  });
});
