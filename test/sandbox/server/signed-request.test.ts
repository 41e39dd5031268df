import { describe, expect, it } from 'vitest';
import {
  type SignedRequest,
  checkSignedRequest,
  restSignedPayload,
  signPayload,
  wsApiSignedPayload,
} from '../../../src/sandbox/server/signed-request.js';

const ACCOUNT = { apiKey: 'sandbox-key', apiSecret: 'sandbox-secret' };
/** Server time, ms. */
const NOW = 1_700_000_000_000;
const NOW_US = NOW * 1000;

type Expected = 'ok' | { readonly status: number; readonly code: number; readonly msg: string };

const OUTSIDE = { status: 400, code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' };
const AHEAD = { status: 400, code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." };
const TOO_LARGE = { status: 400, code: -1131, msg: "'recvWindow' must be less than 60000." };
const KEY_FORMAT = { status: 401, code: -2014, msg: 'API-key format invalid.' };
const KEY_REJECTED = { status: 401, code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' };
const BAD_SIGNATURE = { status: 400, code: -1022, msg: 'Signature for this request is not valid.' };
const mandatory = (name: string) => ({
  status: 400,
  code: -1102,
  msg: `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`,
});

interface Row {
  readonly name: string;
  readonly apiKey?: string | undefined;
  readonly timestamp?: string | undefined;
  readonly recvWindow?: string;
  /** Default: the HMAC of the payload with the account's secret. */
  readonly signature?: string | undefined;
  /** Signs with another secret. */
  readonly secret?: string;
  /** Signs one payload and sends another (a tampered request). */
  readonly sentPayload?: string;
  readonly expected: Expected;
}

const ROWS: readonly Row[] = [
  // Timestamps in ms and µs: a 16-digit value is µs, shorter is ms (by value: leading zeros do not count).
  { name: 'ms, now', timestamp: String(NOW), expected: 'ok' },
  { name: 'µs, now', timestamp: String(NOW_US), expected: 'ok' },
  { name: 'µs with a sub-ms part', timestamp: String(NOW_US + 123), expected: 'ok' },
  { name: 'ms with leading zeros (16 characters)', timestamp: `000${NOW}`, expected: 'ok' },
  { name: '15 digits: ms, far ahead', timestamp: `${NOW}00`, expected: AHEAD },
  { name: '17 digits: µs, far ahead', timestamp: `${NOW_US}0`, expected: AHEAD },

  // recvWindow edges, default 5000 ms.
  { name: 'ms, 5000 behind: inside', timestamp: String(NOW - 5000), expected: 'ok' },
  { name: 'ms, 5001 behind: outside behind', timestamp: String(NOW - 5001), expected: OUTSIDE },
  { name: 'µs, 5 s behind to the µs: inside', timestamp: String(NOW_US - 5_000_000), expected: 'ok' },
  { name: 'µs, 5 s + 1 µs behind: outside behind', timestamp: String(NOW_US - 5_000_001), expected: OUTSIDE },
  { name: 'ms, 999 ahead: inside', timestamp: String(NOW + 999), expected: 'ok' },
  { name: 'ms, 1000 ahead: outside ahead', timestamp: String(NOW + 1000), expected: AHEAD },
  { name: 'µs, 1 µs short of 1 s ahead: inside', timestamp: String(NOW_US + 999_999), expected: 'ok' },
  { name: 'µs, 1 s ahead: outside ahead', timestamp: String(NOW_US + 1_000_000), expected: AHEAD },
  { name: 'ahead is refused whatever the recvWindow', timestamp: String(NOW + 1000), recvWindow: '60000', expected: AHEAD },
  { name: 'recvWindow 20000, 20000 behind: inside', timestamp: String(NOW - 20_000), recvWindow: '20000', expected: 'ok' },
  { name: 'recvWindow 20000, 20001 behind: outside behind', timestamp: String(NOW - 20_001), recvWindow: '20000', expected: OUTSIDE },
  { name: 'recvWindow with µs decimals: inside', timestamp: String(NOW_US - 5_000_500), recvWindow: '5000.5', expected: 'ok' },
  { name: 'recvWindow with µs decimals: outside behind', timestamp: String(NOW_US - 5_000_501), recvWindow: '5000.5', expected: OUTSIDE },
  { name: 'recvWindow 0: only now or later', timestamp: String(NOW), recvWindow: '0', expected: 'ok' },
  { name: 'recvWindow 0, 1 ms behind', timestamp: String(NOW - 1), recvWindow: '0', expected: OUTSIDE },
  { name: 'recvWindow at the maximum', timestamp: String(NOW - 60_000), recvWindow: '60000', expected: 'ok' },
  { name: 'recvWindow 1 µs over the maximum', timestamp: String(NOW), recvWindow: '60000.001', expected: TOO_LARGE },
  { name: 'recvWindow over the maximum', timestamp: String(NOW), recvWindow: '60001', expected: TOO_LARGE },
  { name: 'recvWindow far over the maximum', timestamp: String(NOW), recvWindow: '6000000', expected: TOO_LARGE },
  { name: 'recvWindow with four decimals', timestamp: String(NOW), recvWindow: '5000.1234', expected: mandatory('recvWindow') },
  { name: 'recvWindow negative', timestamp: String(NOW), recvWindow: '-1', expected: mandatory('recvWindow') },
  { name: 'recvWindow not a number', timestamp: String(NOW), recvWindow: 'abc', expected: mandatory('recvWindow') },

  // The key.
  { name: 'no key', apiKey: undefined, expected: KEY_FORMAT },
  { name: 'empty key', apiKey: '', expected: KEY_FORMAT },
  { name: 'wrong key, same length', apiKey: 'sandbox-kez', expected: KEY_REJECTED },
  { name: 'wrong key, longer', apiKey: 'sandbox-key-2', expected: KEY_REJECTED },
  { name: 'wrong key, a prefix of the right one', apiKey: 'sandbox', expected: KEY_REJECTED },
  { name: 'key in another case', apiKey: 'SANDBOX-KEY', expected: KEY_REJECTED },
  { name: 'the key is checked before the signature', apiKey: 'other', secret: 'other', expected: KEY_REJECTED },

  // The signature.
  { name: 'signed with another secret', secret: 'other-secret', expected: BAD_SIGNATURE },
  { name: 'signature in upper case', signature: 'UPPER', expected: 'ok' },
  { name: 'signature not hex', signature: 'z'.repeat(64), expected: BAD_SIGNATURE },
  { name: 'signature too short', signature: 'ab'.repeat(16), expected: BAD_SIGNATURE },
  { name: 'payload changed after signing', sentPayload: `timestamp=${NOW}&recvWindow=60000`, expected: BAD_SIGNATURE },

  // Missing or malformed params.
  { name: 'no timestamp', timestamp: undefined, expected: mandatory('timestamp') },
  { name: 'timestamp in exponent form', timestamp: '1.7e12', expected: mandatory('timestamp') },
  { name: 'timestamp with a fraction', timestamp: `${NOW}.5`, expected: mandatory('timestamp') },
  { name: 'timestamp negative', timestamp: `-${NOW}`, expected: mandatory('timestamp') },
  { name: 'no signature', signature: undefined, expected: mandatory('signature') },
  {
    name: 'no timestamp and a bad signature: the timestamp is named',
    timestamp: undefined,
    secret: 'other-secret',
    expected: mandatory('timestamp'),
  },
];

function requestOf(row: Row): SignedRequest {
  const timestamp = 'timestamp' in row ? row.timestamp : String(NOW);
  const payload = [
    timestamp === undefined ? '' : `timestamp=${timestamp}`,
    row.recvWindow === undefined ? '' : `recvWindow=${row.recvWindow}`,
  ]
    .filter((p) => p !== '')
    .join('&');
  const hmac = signPayload(row.secret ?? ACCOUNT.apiSecret, payload);
  const signature = !('signature' in row) ? hmac : row.signature === 'UPPER' ? hmac.toUpperCase() : row.signature;
  return {
    apiKey: 'apiKey' in row ? row.apiKey : ACCOUNT.apiKey,
    timestamp,
    recvWindow: row.recvWindow,
    signature,
    payload: row.sentPayload ?? payload,
  };
}

describe('checkSignedRequest', () => {
  it.each(ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const checked = checkSignedRequest(requestOf(row), ACCOUNT, NOW);
    expect(checked.ok ? 'ok' : checked.error).toEqual(row.expected);
  });

  it('reports the accepted timestamp in µs', () => {
    expect(checkSignedRequest(requestOf({ name: 'ms', timestamp: String(NOW - 1), expected: 'ok' }), ACCOUNT, NOW)).toEqual({
      ok: true,
      value: { timestampMicros: NOW_US - 1000 },
    });
    expect(checkSignedRequest(requestOf({ name: 'µs', timestamp: String(NOW_US - 7), expected: 'ok' }), ACCOUNT, NOW)).toEqual({
      ok: true,
      value: { timestampMicros: NOW_US - 7 },
    });
  });
});

// Binance's published vectors: both use this secret (PROTOCOLS A.6; SPOT web-socket-api.md:812-822).
const DOC_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';

describe('the payload each transport signs', () => {
  it('REST: the query string then the body, as sent, without their signature pairs (PROTOCOLS A.6 vector)', () => {
    const query = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&signature=abc';
    const body = 'quantity=1&price=0.1&signature=def&recvWindow=5000&timestamp=1499827319559';
    // No separator between the two (PROTOCOLS A.6): the client signed exactly these bytes.
    const payload = restSignedPayload(query, body);
    expect(payload).toBe('symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559');
    const vector = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
    expect(restSignedPayload(`${vector}&signature=x`, '')).toBe(vector);
    expect(signPayload(DOC_SECRET, vector)).toBe('c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71');
  });

  it('WS API: every param but the signature, sorted by name, numbers as JSON wrote them (SPOT docs vector)', () => {
    const params = {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01000000',
      price: '52000.00',
      recvWindow: 100,
      timestamp: 1645423376532,
      apiKey: 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A',
      signature: 'ignored',
    };
    const payload = wsApiSignedPayload(params);
    expect(payload).toBe(
      'apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&price=52000.00&quantity=0.01000000&recvWindow=100' +
        '&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT',
    );
    expect(signPayload(DOC_SECRET, payload)).toBe('aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24');
  });
});
