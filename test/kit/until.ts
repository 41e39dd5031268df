/** Waits for a condition that network I/O will make true (loopback HTTP and WebSocket), polling each millisecond. */
export async function until(done: () => boolean, bound = 5_000): Promise<void> {
  for (let i = 0; i < bound && !done(); i++) await new Promise<void>((r) => setTimeout(r, 1));
  if (!done()) throw new Error('condition not met');
}

/** The same for a condition only an asynchronous read can answer (a Redis count), asked every 10 ms. */
export async function untilAsync(done: () => Promise<boolean>, bound = 5_000): Promise<void> {
  for (let i = 0; i < bound / 10; i++) {
    if (await done()) return;
    await new Promise<void>((r) => setTimeout(r, 10));
  }
  if (!(await done())) throw new Error('condition not met');
}
