/** Socket errors that mean the host cannot be reached at all: no DNS, no route, nobody listening. */
const UNREACHABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN']);

/**
 * The error code when `error` (from fetch) says the host cannot be reached, else undefined. Node's fetch throws
 * `TypeError('fetch failed')` with the socket error as its `cause`, and when it tried several addresses that cause is
 * an AggregateError holding one per address.
 */
export function unreachableCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && UNREACHABLE.has(code)) return code;
  if (Array.isArray(errors)) {
    for (const e of errors as unknown[]) {
      const found = unreachableCode(e, depth + 1);
      if (found) return found;
    }
  }
  return unreachableCode(cause, depth + 1);
}
