/**
 * How `p` settled within `ms` of wall time: 'resolved', 'rejected', or 'late' (then it is left to settle on its own).
 * For a wait that must not hang on a peer that may never answer (Redis during an outage, a connection closing).
 */
export async function settlesWithin(p: Promise<unknown>, ms: number): Promise<'resolved' | 'rejected' | 'late'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  try {
    return await Promise.race([
      p.then(
        () => 'resolved' as const,
        () => 'rejected' as const,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
