import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { SandboxAccount } from './sandbox-hub.js';

/**
 * The one check of a SIGNED request, shared by REST (/api/v3) and the WebSocket API (/ws-api/v3) so the two cannot
 * drift apart again. Each transport builds the payload Binance signs for it (restSignedPayload, wsApiSignedPayload),
 * calls checkSignedRequest, and puts a refusal in its own envelope.
 */

/** Binance's answer to a refused request; `status` is the HTTP status, which the WS API repeats in its `status`. */
interface SignedRequestRefusal {
  readonly status: number;
  readonly code: number;
  readonly msg: string;
}

export type SignedRequestCheck =
  | { readonly ok: true; readonly value: { readonly timestampMicros: number } }
  | { readonly ok: false; readonly error: SignedRequestRefusal };

/** A signed request as its transport received it; absent or empty values are `undefined`. */
export interface SignedRequest {
  readonly apiKey: string | undefined;
  readonly timestamp: string | undefined;
  readonly recvWindow: string | undefined;
  readonly signature: string | undefined;
  /** What the client signed, as the transport's rule builds it. */
  readonly payload: string;
}

/** PROTOCOLS A.6 (SPOT rest-api.md:219-224): the default and the maximum recvWindow, in ms. */
const DEFAULT_RECV_WINDOW_MS = 5_000;
const MAX_RECV_WINDOW_MS = 60_000;
/** PROTOCOLS A.6 (rest-api.md:226-240): a timestamp this far ahead of server time is refused, whatever recvWindow says. */
const AHEAD_LIMIT_MICROS = 1_000_000;
/**
 * The smallest 16-digit number. Binance takes `timestamp` in ms or µs (PROTOCOLS A.6) without documenting how it
 * tells them apart. UNVERIFIED, chosen: the value's magnitude decides, so a 16-digit value (≥ 10^15) is µs and anything
 * shorter is ms. A ms timestamp has 13 digits until 2286 and a µs one 16, so no real clock is read wrongly, and a
 * 14- or 15-digit value is a ms time centuries ahead (refused as ahead, not reinterpreted). Leading zeros do not
 * count: the number is read, not the text.
 */
const MICROSECONDS_FROM = 1e15;

const DIGITS = /^[0-9]{1,20}$/;
/** PROTOCOLS A.6: recvWindow in ms with up to three decimals (µs). */
const RECV_WINDOW = /^([0-9]{1,20})(?:\.([0-9]{1,3}))?$/;
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

// PROTOCOLS A.5 (SPOT errors.md:53-58, 338-342), with the HTTP statuses the sandbox has always used (401 for the key).
const API_KEY_FORMAT: SignedRequestRefusal = { status: 401, code: -2014, msg: 'API-key format invalid.' };
const API_KEY_REJECTED: SignedRequestRefusal = { status: 401, code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' };
const BAD_SIGNATURE: SignedRequestRefusal = { status: 400, code: -1022, msg: 'Signature for this request is not valid.' };
const OUTSIDE_RECV_WINDOW: SignedRequestRefusal = {
  status: 400,
  code: -1021,
  msg: 'Timestamp for this request is outside of the recvWindow.',
};
const AHEAD: SignedRequestRefusal = { status: 400, code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." };
/**
 * Not in PROTOCOLS.md (UNVERIFIED there). The code is -1131 BAD_RECV_WINDOW from SPOT CHANGELOG.md 2019-08-15 (it is not
 * in today's errors.md); the text is what api.binance.com answered in client bug reports of 2019-2021
 * (binance-java-api #313, python-binance #432, binance-watch #40). 60000 itself is allowed: "cannot be greater than".
 */
const RECV_WINDOW_TOO_LARGE: SignedRequestRefusal = { status: 400, code: -1131, msg: "'recvWindow' must be less than 60000." };

function mandatory(name: string): SignedRequestRefusal {
  return { status: 400, code: -1102, msg: `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.` };
}

function refuse(error: SignedRequestRefusal): SignedRequestCheck {
  return { ok: false, error };
}

/** HMAC-SHA256 hex of a payload: the signature Binance's SIGNED requests carry (PROTOCOLS A.6). */
export function signPayload(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/**
 * REST's payload (PROTOCOLS A.6): the query string concatenated, with no separator, to the body, each exactly as sent
 * and without its `signature` pair.
 */
export function restSignedPayload(rawQuery: string, rawBody: string): string {
  return withoutSignature(rawQuery) + withoutSignature(rawBody);
}

function withoutSignature(raw: string): string {
  if (!raw.includes('signature=')) return raw;
  return raw
    .split('&')
    .filter((pair) => !pair.startsWith('signature='))
    .join('&');
}

/**
 * The WS API's payload (PROTOCOLS A.6; SPOT web-socket-api.md:761-800): every param but `signature`, sorted by name,
 * as `name=value` joined by `&`. Values go in as JSON gave them (a number as its decimal text).
 */
export function wsApiSignedPayload(params: Readonly<Record<string, unknown>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');
}

/** The API key check alone (USER_STREAM endpoints need only the key): -2014 absent, -2015 unknown; undefined when accepted. */
export function apiKeyRefusal(apiKey: string | undefined, account: SandboxAccount): SignedRequestRefusal | undefined {
  if (apiKey === undefined || apiKey === '') return API_KEY_FORMAT;
  return sameKey(apiKey, account.apiKey) ? undefined : API_KEY_REJECTED;
}

/**
 * Binance's checks of a SIGNED request, in this order: the key (-2014 absent, -2015 unknown), the mandatory
 * `timestamp` and `signature` and a well-formed `recvWindow` (-1102, -1131 over the maximum), the signature (-1022),
 * then the time (-1021, PROTOCOLS A.6). On success, the request's timestamp in µs.
 */
export function checkSignedRequest(req: SignedRequest, account: SandboxAccount, serverTimeMs: number): SignedRequestCheck {
  // UNVERIFIED for the WS API, where the key is the `apiKey` param: an absent one is -2014 there too (not -1102), so
  // both transports answer a keyless request alike.
  const keyRefusal = apiKeyRefusal(req.apiKey, account);
  if (keyRefusal !== undefined) return refuse(keyRefusal);

  const timestampMicros = parseTimestampMicros(req.timestamp);
  if (timestampMicros === undefined) return refuse(mandatory('timestamp'));
  if (req.signature === undefined || req.signature === '') return refuse(mandatory('signature'));
  let recvWindowMicros = DEFAULT_RECV_WINDOW_MS * 1000;
  if (req.recvWindow !== undefined) {
    const parsed = parseRecvWindowMicros(req.recvWindow);
    // UNVERIFIED: junk, a sign or a fourth decimal is -1102 (Binance documents no code for it). 0 is legal: the
    // documented acceptance test (PROTOCOLS A.6) still works with it, accepting only timestamps not behind server time.
    if (parsed === undefined) return refuse(mandatory('recvWindow'));
    if (parsed > MAX_RECV_WINDOW_MS * 1000) return refuse(RECV_WINDOW_TOO_LARGE);
    recvWindowMicros = parsed;
  }

  // The format check leaks nothing secret: the expected signature is always 64 hex digits.
  if (!HEX_SHA256.test(req.signature)) return refuse(BAD_SIGNATURE);
  const expected = Buffer.from(signPayload(account.apiSecret, req.payload), 'ascii');
  // HMAC signatures are case-insensitive (PROTOCOLS A.6); both buffers are 64 bytes here.
  if (!timingSafeEqual(expected, Buffer.from(req.signature.toLowerCase(), 'ascii'))) return refuse(BAD_SIGNATURE);

  // In integer µs, so a µs timestamp against a recvWindow with decimals is judged exactly (no rounding to the ms).
  const serverMicros = serverTimeMs * 1000;
  if (timestampMicros >= serverMicros + AHEAD_LIMIT_MICROS) return refuse(AHEAD);
  if (serverMicros - timestampMicros > recvWindowMicros) return refuse(OUTSIDE_RECV_WINDOW);
  return { ok: true, value: { timestampMicros } };
}

/** `timestamp` as µs, from ms or µs digits (see MICROSECONDS_FROM); undefined when absent or not digits. */
function parseTimestampMicros(text: string | undefined): number | undefined {
  if (text === undefined || !DIGITS.test(text)) return undefined;
  const value = Number(text);
  return value >= MICROSECONDS_FROM ? value : value * 1000;
}

/** `recvWindow` ms with up to three decimals, as exact integer µs; undefined when malformed. */
function parseRecvWindowMicros(text: string): number | undefined {
  const m = RECV_WINDOW.exec(text);
  if (m === null) return undefined;
  return Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
}

/**
 * Constant time whatever the client sent: both keys are hashed to 32 bytes first, so timingSafeEqual always compares
 * equal lengths and neither a length check nor an early-exit string compare tells a prober how close a guess was.
 */
function sameKey(given: string, known: string): boolean {
  return timingSafeEqual(sha256(given), sha256(known));
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
