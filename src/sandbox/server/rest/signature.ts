import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SandboxAccount } from '../sandbox-hub.js';
import type { Params } from './params.js';
import { API_KEY_FORMAT, API_KEY_REJECTED, BAD_SIGNATURE, type RestError, mandatory, restError } from './rest-error.js';

const MAX_RECV_WINDOW = 60_000;
const DEFAULT_RECV_WINDOW = 5_000;
const HEX64 = /^[0-9a-fA-F]{64}$/;

/** HMAC-SHA256 hex of a payload, the signature Binance's SIGNED endpoints expect. */
export function signPayload(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** The raw query or body without its `signature` pair: what the client signed. */
function withoutSignature(raw: string): string {
  if (!raw.includes('signature=')) return raw;
  return raw
    .split('&')
    .filter((pair) => !pair.startsWith('signature='))
    .join('&');
}

export interface SignedRequest {
  readonly apiKey: string | undefined;
  readonly rawQuery: string;
  readonly rawBody: string;
  readonly params: Params;
}

/**
 * Checks a SIGNED request as Binance does (PROTOCOLS A.6): the key, then the signature over query + body
 * (hex, case-insensitive, compared in constant time), then `timestamp` within `recvWindow` of server time.
 */
export function verifySigned(req: SignedRequest, account: SandboxAccount, serverTime: number): RestError | undefined {
  if (req.apiKey === undefined || req.apiKey === '') return API_KEY_FORMAT;
  if (!sameText(req.apiKey, account.apiKey)) return API_KEY_REJECTED;
  const tsText = req.params.get('timestamp');
  if (tsText === undefined || !/^\d{1,17}$/.test(tsText)) return mandatory('timestamp');
  const signature = req.params.get('signature');
  if (signature === undefined) return mandatory('signature');
  const rwText = req.params.get('recvWindow');
  let recvWindow = DEFAULT_RECV_WINDOW;
  if (rwText !== undefined) {
    if (!/^\d{1,6}(\.\d{1,3})?$/.test(rwText)) return mandatory('recvWindow');
    recvWindow = Number(rwText);
    if (recvWindow > MAX_RECV_WINDOW) return restError(-1131, `recvWindow must be less than ${MAX_RECV_WINDOW}.`);
  }
  if (!HEX64.test(signature)) return BAD_SIGNATURE;
  const expected = signPayload(account.apiSecret, withoutSignature(req.rawQuery) + withoutSignature(req.rawBody));
  if (!timingSafeEqual(Buffer.from(expected, 'ascii'), Buffer.from(signature.toLowerCase(), 'ascii'))) return BAD_SIGNATURE;

  // Microsecond timestamps (16 digits) are accepted, as Binance does, and compared in ms.
  const raw = Number(tsText);
  const timestamp = tsText.length >= 16 ? raw / 1000 : raw;
  if (timestamp >= serverTime + 1000) {
    return restError(-1021, "Timestamp for this request was 1000ms ahead of the server's time.");
  }
  if (serverTime - timestamp > recvWindow) return restError(-1021, 'Timestamp for this request is outside of the recvWindow.');
  return undefined;
}

function sameText(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
