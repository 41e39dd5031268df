/** A refusal as Binance's REST API sends it: an HTTP status, `{code, msg}`, and sometimes a Retry-After. */
export interface RestError {
  readonly kind: 'rest-error';
  readonly status: number;
  readonly code: number;
  readonly msg: string;
  /** Seconds, for 418 and 429. */
  readonly retryAfter?: number;
}

/** What a parameter reader or check yields: the value, or Binance's refusal. */
export type Checked<T> = T | RestError;

export function isRestError(x: unknown): x is RestError {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'rest-error';
}

export function restError(code: number, msg: string, status = 400, retryAfter?: number): RestError {
  return retryAfter === undefined ? { kind: 'rest-error', status, code, msg } : { kind: 'rest-error', status, code, msg, retryAfter };
}

export function mandatory(name: string): RestError {
  return restError(-1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);
}

export function eitherMandatory(a: string, b: string): RestError {
  return restError(-1102, `Param '${a}' or '${b}' must be sent, but both were empty/null!`);
}

export function illegalChars(name: string, range: string): RestError {
  return restError(-1100, `Illegal characters found in parameter '${name}'; legal range is '${range}'.`);
}

export function tooMuchPrecision(name: string): RestError {
  return restError(-1111, `Parameter '${name}' has too much precision.`);
}

export function notRequired(name: string): RestError {
  return restError(-1106, `Parameter '${name}' sent when not required.`);
}

export function invalidValue(name: string): RestError {
  return restError(-1130, `Data sent for parameter '${name}' is not valid.`);
}

export const INVALID_INTERVAL = restError(-1120, 'Invalid interval.');
export const INVALID_SYMBOL = restError(-1121, 'Invalid symbol.');
export const UNKNOWN_ENDPOINT = restError(-1000, 'Unknown endpoint.', 404);
