import { createServer, type Server } from 'node:http';
import { type Bot, webhookCallback } from 'grammy';

/** Serves Telegram's webhook POSTs on one path; anything else is a 404, a wrong or missing secret a 401 (grammY). */
export async function listenForWebhook(
  bot: Bot,
  options: { readonly port: number; readonly path: string; readonly secretToken: string; readonly host?: string },
  onError: (error: unknown) => void,
): Promise<Server> {
  // Answer Telegram before a slow command finishes rather than fail the request: a failed one is delivered again,
  // and the command would run twice.
  const handle = webhookCallback(bot, 'http', { secretToken: options.secretToken, onTimeout: 'return', timeoutMilliseconds: 8_000 });
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://hook').pathname !== options.path) {
      res.writeHead(404).end();
      return;
    }
    void handle(req, res).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return server;
}
