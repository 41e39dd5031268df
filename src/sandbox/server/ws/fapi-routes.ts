import type { FapiRoot } from './fapi-market-feed.js';

/**
 * Where a USD-M stream connection goes. Binance serves futures streams on their own host (fstream); the sandbox serves
 * them on its one port, under:
 * - the 2026 roots `/public`, `/market`, `/private` (PROTOCOLS-FUTURES B.2), each with `/ws[/...]` and `/stream?streams=`;
 * - the same under `/fstream` (`/fstream/public/ws/...`), and the legacy `/fstream/ws/...` and `/fstream/stream?...`
 *   that carry every stream and the user stream, as fstream did before the split: spot already serves `/ws` and `/stream`
 *   here, so binance-api-node is pointed at `ws://<host>/fstream/ws` with its `wsFutures` option (or at the roots with
 *   `wsFuturesPublic/Market/Private`);
 * - `/ws/<listenKey>` and `/stream?streams=<listenKey>` on spot's paths, only while that key is live (testnet clients'
 *   legacy user stream); any other `/ws` or `/stream` path stays spot's.
 */
export type FapiRoute =
  | { readonly kind: 'user'; readonly listenKey: string; readonly combined: boolean }
  | { readonly kind: 'market'; readonly root: FapiRoot; readonly streams: string[]; readonly combined: boolean };

/** The futures route of an upgrade URL, or undefined when the URL is spot's (or nobody's). */
export function fapiRouteOf(url: string, isLiveKey: (key: string) => boolean): FapiRoute | undefined {
  const parsed = new URL(url, 'http://sandbox');
  const path = parsed.pathname.replace(/\/+$/, '');
  const streamsParam = parsed.searchParams.get('streams') ?? '';

  // Spot's paths: a live futures listenKey only.
  if (path.startsWith('/ws/') && isLiveKey(path.slice(4))) return { kind: 'user', listenKey: path.slice(4), combined: false };
  if (path === '/stream' && isLiveKey(streamsParam)) return { kind: 'user', listenKey: streamsParam, combined: true };

  const rest = path.startsWith('/fstream/') || path === '/fstream' ? path.slice('/fstream'.length) : path;
  const fstream = rest !== path;
  const m = /^\/(public|market|private)(\/.*)?$/.exec(rest);
  const root = m?.[1];
  const tail = m === null ? rest : (m[2] ?? '');
  if (root === undefined && !fstream) return undefined;

  let combined: boolean;
  let names: string[];
  if (tail === '/ws' || tail.startsWith('/ws/')) {
    combined = false;
    names = split(tail.slice(3));
  } else if (tail === '/stream') {
    combined = true;
    names = split(streamsParam);
  } else return undefined;

  if (root === 'private') {
    // `/private/ws?listenKey=` is ccxt's form; its optional events filter (syntax UNVERIFIED) is ignored: every event is sent.
    const key = names[0] ?? parsed.searchParams.get('listenKey') ?? '';
    return { kind: 'user', listenKey: key, combined };
  }
  if (root === undefined && names.length === 1 && isListenKeyShaped(names[0] as string)) {
    return { kind: 'user', listenKey: names[0] as string, combined };
  }
  // ccxt's numeric "stream index" (`/market/ws/0`) and other segments that name no stream are an empty subscription.
  return { kind: 'market', root: (root ?? 'legacy') as FapiRoot, streams: names.filter((n) => n.includes('@')), combined };
}

/** On the legacy paths, a lone segment that names no stream and is not ccxt's numeric index is a listenKey. */
function isListenKeyShaped(name: string): boolean {
  return !name.includes('@') && !/^[0-9]+$/.test(name);
}

function split(list: string): string[] {
  return list.split('/').filter((s) => s.length > 0);
}
