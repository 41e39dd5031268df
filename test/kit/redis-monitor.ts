/**
 * Redis's MONITOR over a plain socket (ioredis's monitor mode fails on this server's reply format): every command the
 * server runs, with the connection that sent it, for tests that prove which commands went together.
 */
import { connect } from 'node:net';
import { REDIS_URL } from './redis.js';

export interface RedisMonitor {
  /** Commands seen so far (name lower-cased, then its arguments), by the sending connection's address. */
  readonly bySource: ReadonlyMap<string, readonly string[][]>;
  close(): void;
}

/** Starts watching; resolves once Redis has confirmed MONITOR, so every command after it is seen. */
export function monitorRedis(url = REDIS_URL): Promise<RedisMonitor> {
  const { hostname, port } = new URL(url);
  const bySource = new Map<string, string[][]>();
  const socket = connect({ host: hostname, port: Number(port || 6379) });
  let buffer = '';
  return new Promise((resolve, reject) => {
    let ready = false;
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      let at: number;
      while ((at = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        if (!ready && line === '+OK') {
          ready = true;
          resolve({ bySource, close: () => socket.destroy() });
          continue;
        }
        // +1712345678.123456 [0 127.0.0.1:51618] "hset" "key" "field" "value"
        const m = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] (.*)$/.exec(line);
        if (!m) continue;
        const args = [...m[2]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((a) => a[1]!.replace(/\\(.)/g, '$1'));
        if (args[0] !== undefined) args[0] = args[0].toLowerCase();
        const list = bySource.get(m[1]!) ?? [];
        list.push(args);
        bySource.set(m[1]!, list);
      }
    });
    socket.write('MONITOR\r\n');
  });
}
