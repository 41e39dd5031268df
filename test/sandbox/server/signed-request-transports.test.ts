import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { API_KEY, API_SECRET, type Harness, START, startHarness } from './rest/harness.js';
import { type Inbox, connect } from './ws/harness.js';

// Every timingSafeEqual the sandbox makes, as the byte lengths it compared: a key comparison must be one of them,
// always on equal lengths, whatever key the client sent (a length check first would leak the key's length).
const compared = vi.hoisted(() => [] as Array<readonly [number, number]>);
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView): boolean => {
      compared.push([a.byteLength, b.byteLength]);
      return actual.timingSafeEqual(a, b);
    },
  };
});

/** What either transport answered: Binance's code and message, or `ok`. */
type Outcome = 'ok' | { readonly code: number; readonly msg: string };

interface Case {
  readonly name: string;
  readonly key?: string;
  readonly timestamp: string;
  readonly recvWindow?: string;
  readonly expected: Outcome;
  /** The key was compared with timingSafeEqual even though it is refused. */
  readonly keyComparedInConstantTime?: boolean;
}

const OUTSIDE = { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' };
const AHEAD = { code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." };
const REJECTED = { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' };

// The three rules the REST and WS API copies used to disagree on; every row must come out the same on both.
const CASES: readonly Case[] = [
  // µs detection: by the value's number of digits (16 = µs), not by the text's length, nor from 15 digits up.
  { name: 'a ms timestamp written with leading zeros is still ms', timestamp: `000${START}`, expected: 'ok' },
  { name: 'a 15-digit timestamp is ms (far ahead), not µs', timestamp: `${START}00`, expected: AHEAD },
  {
    name: 'a 16-digit µs timestamp is kept to the µs',
    timestamp: String((START - 5000) * 1000 - 400),
    recvWindow: '5000.5',
    expected: 'ok',
  },
  {
    name: 'a 16-digit µs timestamp just outside a µs recvWindow',
    timestamp: String((START - 5000) * 1000 - 600),
    recvWindow: '5000.5',
    expected: OUTSIDE,
  },
  // recvWindow over the maximum: -1131 with Binance's text, not -1102.
  { name: 'recvWindow 60000 is the maximum', timestamp: String(START - 60000), recvWindow: '60000', expected: 'ok' },
  {
    name: 'recvWindow over 60000',
    timestamp: String(START),
    recvWindow: '60001',
    expected: { code: -1131, msg: "'recvWindow' must be less than 60000." },
  },
  // The key: compared in constant time whatever its length.
  {
    name: 'an unknown key of another length',
    key: 'someone-else',
    timestamp: String(START),
    expected: REJECTED,
    keyComparedInConstantTime: true,
  },
  {
    name: 'an unknown key of the same length',
    key: 'sandbox-kez',
    timestamp: String(START),
    expected: REJECTED,
    keyComparedInConstantTime: true,
  },
];

function hmac(payload: string): string {
  return createHmac('sha256', API_SECRET).update(payload).digest('hex');
}

let h: Harness;
let api: Inbox | undefined;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  api?.close();
  api = undefined;
  await h.close();
});

async function viaRest(c: Case): Promise<Outcome> {
  const query = `timestamp=${c.timestamp}${c.recvWindow === undefined ? '' : `&recvWindow=${c.recvWindow}`}`;
  const res = await fetch(`${h.server.httpBase}/api/v3/account?${query}&signature=${hmac(query)}`, {
    headers: { 'X-MBX-APIKEY': c.key ?? API_KEY },
  });
  const body = (await res.json()) as { code?: number; msg?: string };
  if (res.status === 200) return 'ok';
  expect.soft(res.status, c.name).toBe(c.expected !== 'ok' && c.expected.code === -2015 ? 401 : 400);
  return { code: body.code ?? 0, msg: body.msg ?? '' };
}

let nextId = 1;

async function viaWsApi(c: Case): Promise<Outcome> {
  api ??= await connect(h.server.wsApi);
  const params: Record<string, string> = { apiKey: c.key ?? API_KEY, timestamp: c.timestamp };
  if (c.recvWindow !== undefined) params.recvWindow = c.recvWindow;
  const payload = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  const answer = await api.ask({
    id: nextId++,
    method: 'userDataStream.subscribe.signature',
    params: { ...params, signature: hmac(payload) },
  });
  if (answer.status === 200) {
    // One subscription per connection: leave room for the next row.
    await api.ask({ id: nextId++, method: 'userDataStream.unsubscribe' });
    return 'ok';
  }
  expect.soft(answer.status, c.name).toBe(c.expected !== 'ok' && c.expected.code === -2015 ? 401 : 400);
  return { code: answer.error.code, msg: answer.error.msg };
}

describe.each([
  ['REST', viaRest],
  ['the WS API', viaWsApi],
] as const)('a signed request through %s', (_transport, send) => {
  it('follows the same µs, recvWindow and key rules as the other transport', async () => {
    for (const c of CASES) {
      compared.length = 0;
      // Soft: one run reports every row that differs.
      expect.soft({ case: c.name, outcome: await send(c) }).toEqual({ case: c.name, outcome: c.expected });
      if (c.keyComparedInConstantTime === true) expect.soft(compared.length, `${c.name}: timingSafeEqual calls`).toBeGreaterThan(0);
      for (const [a, b] of compared) expect.soft(a, `${c.name}: compared lengths`).toBe(b);
    }
  });
});
