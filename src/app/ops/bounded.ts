/**
 * How long a read for the endpoints and `/limits` may wait on Redis. The bot's connection queues commands through an
 * outage instead of failing them, so without a bound a health check would hang exactly when it matters.
 */
const READ_TIMEOUT_MS = 1_000;

export type Bounded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why: string };

/** The read's answer, or why there is none: no answer within `ms`, or its error. A late answer is ignored. */
export async function bounded<T>(read: () => Promise<T>, ms = READ_TIMEOUT_MS): Promise<Bounded<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<Bounded<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, why: `no answer within ${ms} ms` }), ms);
  });
  const answer = read().then(
    (value): Bounded<T> => ({ ok: true, value }),
    (error: unknown): Bounded<T> => ({ ok: false, why: error instanceof Error ? error.message : String(error) }),
  );
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}
