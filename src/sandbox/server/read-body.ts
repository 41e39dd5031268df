import type { IncomingMessage } from 'node:http';

/** The most a request body may hold: Binance's requests are a few hundred bytes; anything near this is a mistake. */
export const MAX_BODY = 64 * 1024;

/** Collects a request's body as text; undefined when it is over `MAX_BODY` (the rest is read and dropped). */
export function readBody(req: IncomingMessage, done: (body: string | undefined) => void): void {
  let body = '';
  let tooLarge = false;
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    if (body.length + chunk.length > MAX_BODY) tooLarge = true;
    else body += chunk;
  });
  req.on('end', () => done(tooLarge ? undefined : body));
}
