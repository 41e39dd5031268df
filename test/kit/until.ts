/** Waits for a condition that network I/O will make true (loopback HTTP and WebSocket), polling each millisecond. */
export async function until(done: () => boolean, bound = 5_000): Promise<void> {
  for (let i = 0; i < bound && !done(); i++) await new Promise<void>((r) => setTimeout(r, 1));
  if (!done()) throw new Error('condition not met');
}
