/**
 * JSON that keeps exact money: every bigint (a `Fixed`) is written as `{"$big":"<digits>"}` and read back as a bigint,
 * so state that leaves the process (Redis, job payloads) comes back to the unit it left with.
 */
export const FIXED_JSON_TAG = '$big';
const TAG = FIXED_JSON_TAG;

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? { [TAG]: value.toString() } : value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const big = (value as Record<string, unknown>)[TAG];
    if (typeof big === 'string' && Object.keys(value).length === 1) return BigInt(big);
  }
  return value;
}

export function encodeJson(value: unknown): string {
  return JSON.stringify(value, replacer);
}

export function decodeJson<T = unknown>(text: string): T {
  return JSON.parse(text, reviver) as T;
}
