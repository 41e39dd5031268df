/** The HTTP side: one request in, a Bot API answer out, with the limits applied. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Faults } from './faults.js';
import { MESSAGE_METHODS, type Limits } from './limits.js';
import { fromSearch, int, parseBody, readBody } from './params.js';
import { ROUTES } from './routes.js';
import type { BotState } from './state.js';
import type { CallbackAnswer, Outcome, Params, RequestRecord, SentCall } from './types.js';
import { badRequest, fail, tooManyRequests } from './types.js';

/** Everything the HTTP side reads and writes; the FakeTelegram object owns it. */
export interface World {
  clock: () => number;
  bots: Map<string, BotState>;
  limits: Limits;
  faults: Faults;
  sent: SentCall[];
  requests: RequestRecord[];
  answers: CallbackAnswer[];
  /** Requests still being answered, so close() can let held polls' answers reach the client before cutting sockets. */
  inflight: Set<Promise<void>>;
}

const PATH = /^\/bot([^/]+)\/([^/]+)\/?$/;

export function requestHandler(world: World) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const serving = serve(world, req, res)
      .catch((error: unknown) => {
        if (!res.headersSent) return answer(res, fail(500, `Internal Server Error: ${String(error)}`));
      })
      .finally(() => world.inflight.delete(serving));
    world.inflight.add(serving);
  };
}

async function serve(world: World, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const now = world.clock();
  const url = new URL(req.url ?? '/', 'http://fake');
  const body = await readBody(req);
  const parsed = body === undefined ? 'request is too large' : parseBody(req.headers['content-type'], body);
  const params: Params = { ...fromSearch(url.searchParams), ...(typeof parsed === 'string' ? {} : parsed) };
  const match = PATH.exec(url.pathname);
  const token = match === null ? '' : decodeURIComponent(match[1]!);
  const route = match === null ? undefined : ROUTES.get(match[2]!.toLowerCase());
  const chatId = int(params, 'chat_id');
  const record: RequestRecord = {
    token,
    method: route?.name ?? match?.[2] ?? url.pathname,
    params,
    status: 0,
    time: now,
    ...(chatId === undefined ? {} : { chatId }),
  };
  world.requests.push(record);
  const reply = (outcome: Outcome): Promise<void> => {
    // 499 (nginx's "client closed request"): a long poll the bot abandoned, e.g. on bot.stop()
    record.status = res.destroyed ? 499 : outcome.ok ? 200 : outcome.error_code;
    if (!outcome.ok) record.description = outcome.description;
    return answer(res, outcome);
  };

  const fault = world.faults.meet(record.method, chatId);
  if (fault?.kind === 'error') return reply(fault.error);
  if (fault?.kind === 'drop') {
    record.status = -1; // no answer at all: the connection was cut
    res.socket?.destroy();
    return;
  }
  if (fault?.kind === 'hang') {
    const gone = new Promise<void>((resolve) => (res.destroyed ? resolve() : res.once('close', resolve)));
    await Promise.race([fault.released, gone]);
    fault.cancel();
    if (res.destroyed) {
      record.status = 499; // the client gave up on the held request
      return;
    }
  }

  const bot = world.bots.get(token);
  if (match === null || (bot !== undefined && route === undefined)) return reply(fail(404, 'Not Found'));
  if (bot === undefined) return reply(fail(401, 'Unauthorized'));
  if (route === undefined) return reply(fail(404, 'Not Found'));
  if (typeof parsed === 'string') return reply(badRequest(parsed));

  const limits = world.limits;
  const penalty = limits.penaltyBroken(token, route.name, chatId, now);
  if (penalty !== undefined) limits.noteViolation(record, penalty);
  const isMessage = MESSAGE_METHODS.has(route.name.toLowerCase());
  let retryAfter = limits.injected(route.name, chatId);
  let fresh = retryAfter !== undefined;
  if (retryAfter === undefined && limits.enforced && isMessage && penalty !== undefined) retryAfter = limits.remaining(penalty, now);
  const chat = chatId === undefined ? undefined : bot.chats.get(chatId);
  if (retryAfter === undefined && limits.enforced && isMessage && chat !== undefined) {
    retryAfter = limits.paced(token, chat.id, chat.type, now);
    fresh = retryAfter !== undefined;
  }
  if (retryAfter !== undefined) {
    if (fresh) limits.notePenalty(token, route.name, chatId, retryAfter, now);
    return reply(tooManyRequests(retryAfter));
  }

  const aborted = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) aborted.abort();
  });
  const outcome = await route.handle({ bot, params, now, signal: aborted.signal, answers: world.answers });
  if (outcome.ok && isMessage && chatId !== undefined) limits.noteDelivered(token, chatId, now);
  if (outcome.ok && route.readOnly !== true) {
    world.sent.push({ token, method: route.name, params, time: now, ...(chatId === undefined ? {} : { chatId }) });
  }
  return reply(outcome);
}

function answer(res: ServerResponse, outcome: Outcome): Promise<void> {
  if (res.writableEnded || res.destroyed) return Promise.resolve();
  const status = outcome.ok ? 200 : outcome.error_code;
  res.writeHead(status, { 'content-type': 'application/json' });
  return new Promise((resolve) => {
    res.once('close', resolve); // a client that went away never sees 'finish'
    res.end(JSON.stringify(outcome), () => resolve());
  });
}
