import { afterEach, describe, expect, it } from 'vitest';
import { Api, GrammyError, InputFile } from 'grammy';
import { DEFAULT_TOKEN, type FakeTelegram, startFakeTelegram } from './fake-telegram/index.js';
import { sha256, tinyPng } from './tiny-png.js';
import { until } from './until.js';

interface Answer {
  status: number;
  body: { ok: boolean; result?: any; error_code?: number; description?: string; parameters?: { retry_after: number } };
}

let fake: FakeTelegram | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

let now = Date.UTC(2025, 0, 1);
async function start() {
  now = Date.UTC(2025, 0, 1);
  fake = await startFakeTelegram({ clock: () => now });
  return fake;
}

async function call(method: string, params: Record<string, unknown> = {}, token = DEFAULT_TOKEN): Promise<Answer> {
  const res = await fetch(`${fake!.url}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/** Waits (bounded) until the fake holds a long poll: the request is in flight and not yet answered. */
async function pollHeld(count = 1): Promise<void> {
  const held = () => fake!.requests().filter((r) => r.method === 'getUpdates' && r.status === 0).length >= count;
  for (let i = 0; i < 2_000 && !held(); i++) await new Promise((r) => setTimeout(r, 1));
  if (!held()) throw new Error('no long poll reached the fake');
}

const alice = { id: 501, first_name: 'Alice', username: 'alice' };
const dm = { id: 501, type: 'private' as const };
const group = { id: -1001234, type: 'supergroup' as const, title: 'Desk' };

describe('fake Telegram Bot API', () => {
  it('answers getMe with a full bot user, 401 for an unknown token and 404 for an unknown method', async () => {
    await start();
    expect(await call('getMe')).toEqual({
      status: 200,
      body: {
        ok: true,
        result: {
          id: 1_000_000_001,
          is_bot: true,
          first_name: 'telegrid',
          username: 'telegrid_test_bot',
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
          can_connect_to_business: false,
          has_main_web_app: false,
        },
      },
    });
    expect(await call('getMe', {}, 'nope:nope')).toEqual({
      status: 401,
      body: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
    expect(await call('fly')).toEqual({ status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } });
    const get = await fetch(`${fake!.url}/bot${DEFAULT_TOKEN}/getme`); // GET and any case, as Telegram allows
    expect(((await get.json()) as Answer['body']).result.username).toBe('telegrid_test_bot');
    fake!.addBot('2:OTHER', { id: 2, username: 'other_bot' });
    expect((await call('getMe', {}, '2:OTHER')).body.result.id).toBe(2);
  });

  it('delivers updates until a higher offset confirms them, with a bot_command entity', async () => {
    await start();
    const first = fake!.userSends(dm, alice, '/start@telegrid_test_bot now');
    const second = fake!.userSends(group, alice, 'hello');
    expect(first.message!.entities).toEqual([{ type: 'bot_command', offset: 0, length: '/start@telegrid_test_bot'.length }]);
    expect(first.message!.date).toBe(Math.floor(now / 1000));
    expect(second.message!.entities).toBeUndefined();
    expect(second.message!.chat).toEqual({ id: group.id, type: 'supergroup', title: 'Desk' });

    const all = await call('getUpdates', { offset: 0 });
    expect(all.body.result.map((u: { update_id: number }) => u.update_id)).toEqual([first.update_id, second.update_id]);
    expect((await call('getUpdates', { limit: 1 })).body.result).toHaveLength(1);
    const rest = await call('getUpdates', { offset: first.update_id + 1 });
    expect(rest.body.result).toEqual([second]);
    expect((await call('getUpdates', { offset: second.update_id + 1 })).body.result).toEqual([]);
    expect(fake!.pendingUpdates()).toEqual([]);

    const form = await fetch(`${fake!.url}/bot${DEFAULT_TOKEN}/getUpdates`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ offset: '-1' }).toString(),
    });
    expect(((await form.json()) as Answer['body']).result).toEqual([]);
  });

  it('long-polls: answers as soon as an update arrives, and with nothing when the timeout ends', async () => {
    await start();
    const started = performance.now();
    const waiting = call('getUpdates', { timeout: 5 });
    await pollHeld();
    const update = fake!.userSends(dm, alice, 'hi');
    expect((await waiting).body.result).toEqual([update]);
    expect(performance.now() - started).toBeLessThan(2_000);

    const quiet = performance.now();
    const empty = await call('getUpdates', { offset: update.update_id + 1, timeout: 1 });
    expect(empty.body).toEqual({ ok: true, result: [] });
    expect(performance.now() - quiet).toBeGreaterThanOrEqual(900);
  });

  it('ends an older poll with 409 when a second one arrives, and refuses polling while a webhook is set', async () => {
    await start();
    const older = call('getUpdates', { timeout: 5 });
    await pollHeld();
    const newer = call('getUpdates', { timeout: 5 });
    expect(await older).toEqual({
      status: 409,
      body: {
        ok: false,
        error_code: 409,
        description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      },
    });
    await pollHeld();
    fake!.userSends(dm, alice, 'for the newer one');
    expect((await newer).body.result).toHaveLength(1);

    await call('setWebhook', { url: 'https://example.invalid/hook' });
    expect((await call('getUpdates')).status).toBe(409);
    await call('deleteWebhook', { drop_pending_updates: true });
    expect((await call('getUpdates')).body.result).toEqual([]);
  });

  it('stops holding a poll the client abandoned, and answers held polls on close', async () => {
    await start();
    const abandon = new AbortController();
    const gone = fetch(`${fake!.url}/bot${DEFAULT_TOKEN}/getUpdates?timeout=30`, { signal: abandon.signal }).catch(() => 'aborted');
    await pollHeld();
    abandon.abort();
    expect(await gone).toBe('aborted');
    for (let i = 0; i < 2_000 && fake!.requests()[0]!.status === 0; i++) await new Promise((r) => setTimeout(r, 1));
    expect(fake!.requests()[0]!.status).toBe(499);
    const next = call('getUpdates', { timeout: 30 });
    await pollHeld();
    const update = fake!.userSends(dm, alice, 'still there');
    expect((await next).body.result).toEqual([update]); // not a 409: the abandoned poll no longer counts
    const held = call('getUpdates', { offset: update.update_id + 1, timeout: 30 });
    await pollHeld();
    await fake!.close();
    fake = undefined;
    expect((await held).body).toEqual({ ok: true, result: [] });
  });

  it('sends messages with Telegram shapes and refuses bad ones', async () => {
    await start();
    expect((await call('sendMessage', { chat_id: dm.id, text: 'x' })).body.description).toBe('Bad Request: chat not found');
    fake!.userSends(dm, alice, '/start'); // message 1 in the chat is the user's
    const keyboard = { inline_keyboard: [[{ text: 'Yes', callback_data: 'y' }]] };
    const sent = await call('sendMessage', { chat_id: dm.id, text: '*hi*', parse_mode: 'MarkdownV2', reply_markup: keyboard });
    expect(sent).toEqual({
      status: 200,
      body: {
        ok: true,
        result: {
          message_id: 2,
          from: { id: 1_000_000_001, is_bot: true, first_name: 'telegrid', username: 'telegrid_test_bot' },
          chat: { id: 501, type: 'private', first_name: 'Alice', username: 'alice' },
          date: Math.floor(now / 1000),
          text: '*hi*',
          reply_markup: keyboard,
        },
      },
    });
    expect((await call('sendMessage', { chat_id: dm.id, text: 'again' })).body.result.message_id).toBe(3);
    expect(await call('sendMessage', { chat_id: dm.id, text: '' })).toEqual({
      status: 400,
      body: { ok: false, error_code: 400, description: 'Bad Request: message text is empty' },
    });
    expect((await call('sendMessage', { chat_id: dm.id, text: 'a'.repeat(4097) })).body.description).toBe(
      'Bad Request: message is too long',
    );
    expect((await call('sendMessage', { chat_id: dm.id, text: 'a'.repeat(4096) })).status).toBe(200);
    expect((await call('sendChatAction', { chat_id: dm.id, action: 'typing' })).body).toEqual({ ok: true, result: true });

    const photo = new FormData();
    photo.set('chat_id', String(dm.id));
    photo.set('caption', 'chart');
    photo.set('photo', new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' }), 'chart.png');
    const res = await fetch(`${fake!.url}/bot${DEFAULT_TOKEN}/sendPhoto`, { method: 'POST', body: photo });
    expect(res.status).toBe(200);

    // the bytes grammY's payload.js writes: unquoted filename, the file in a part named by an attach:// reference
    const boundary = 'grammy0123';
    const grammyBody = Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n${dm.id}`),
      Buffer.from(`\r\n--${boundary}\r\ncontent-disposition:form-data;name="photo"\r\n\r\nattach://f1`),
      Buffer.from(
        `\r\n--${boundary}\r\ncontent-disposition:form-data;name="f1";filename=photo.jpg\r\ncontent-type:application/octet-stream\r\n\r\n`,
      ),
      Buffer.from([9, 9, 9, 9]),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const viaGrammy = await fetch(`${fake!.url}/bot${DEFAULT_TOKEN}/sendPhoto`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: grammyBody,
    });
    expect(((await viaGrammy.json()) as Answer['body']).result.photo.at(-1).file_size).toBe(4);
    expect(fake!.sent(dm.id).at(-1)!.params).toEqual({
      chat_id: String(dm.id),
      photo: { filename: 'photo.jpg', contentType: 'application/octet-stream', size: 4, bytes: new Uint8Array([9, 9, 9, 9]) },
    });

    expect(fake!.sent(dm.id).map((s) => s.method)).toEqual([
      'sendMessage',
      'sendMessage',
      'sendMessage',
      'sendChatAction',
      'sendPhoto',
      'sendPhoto',
    ]);
    expect(fake!.sent(dm.id)[0]!.params).toMatchObject({ parse_mode: 'MarkdownV2', reply_markup: keyboard });
    expect(fake!.sent(dm.id)[4]!.params).toMatchObject({
      caption: 'chart',
      photo: { filename: 'chart.png', contentType: 'image/png', size: 3 },
    });
    expect(fake!.messages(dm.id).map((m) => m.message_id)).toEqual([2, 3, 4, 5, 6]);
    expect(fake!.transcript(dm.id)).toHaveLength(6);
    expect(fake!.requests().filter((r) => r.status === 400)).toHaveLength(3);
  });

  it('edits a bot message, and refuses an unknown one or the same text', async () => {
    await start();
    fake!.addChat(group);
    const { message_id } = (await call('sendMessage', { chat_id: group.id, text: 'price 1' })).body.result;
    now += 5_000;
    const edited = await call('editMessageText', { chat_id: group.id, message_id, text: 'price 2' });
    expect(edited.body.result).toMatchObject({ message_id, text: 'price 2', edit_date: Math.floor(now / 1000) });
    expect((await call('editMessageText', { chat_id: group.id, message_id, text: 'price 2' })).body.description).toBe(
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same ' +
        'as a current content and reply markup of the message',
    );
    expect(await call('editMessageText', { chat_id: group.id, message_id: 99, text: 'x' })).toEqual({
      status: 400,
      body: { ok: false, error_code: 400, description: 'Bad Request: message to edit not found' },
    });
    expect(fake!.messages(group.id).map((m) => m.text)).toEqual(['price 2']);
  });

  it('answers a callback query once, within its lifetime', async () => {
    await start();
    fake!.userSends(dm, alice, '/menu');
    const keyboard = { inline_keyboard: [[{ text: 'Stop', callback_data: 'stop:1' }]] };
    const { message_id } = (await call('sendMessage', { chat_id: dm.id, text: 'menu', reply_markup: keyboard })).body.result;
    expect(() => fake!.userTaps(dm, alice, message_id, 'nope')).toThrow(/no button/);
    const tap = fake!.userTaps(dm, alice, message_id, 'stop:1');
    expect(tap.callback_query).toMatchObject({ data: 'stop:1', from: { id: 501, is_bot: false }, message: { message_id, text: 'menu' } });
    const id = tap.callback_query!.id;
    expect((await call('answerCallbackQuery', { callback_query_id: id, text: 'Stopped' })).body).toEqual({ ok: true, result: true });
    const tooOld = 'Bad Request: query is too old and response timeout expired or query ID is invalid';
    expect((await call('answerCallbackQuery', { callback_query_id: id })).body.description).toBe(tooOld);
    expect((await call('answerCallbackQuery', { callback_query_id: 'bogus' })).body.description).toBe(tooOld);
    const late = fake!.userTaps(dm, alice, message_id, 'stop:1');
    now += 16_000;
    expect((await call('answerCallbackQuery', { callback_query_id: late.callback_query!.id })).status).toBe(400);
    expect(fake!.callbackAnswers()).toMatchObject([{ callback_query_id: id, text: 'Stopped', query: { data: 'stop:1' } }]);
  });

  it('validates and keeps bot commands per scope', async () => {
    await start();
    const commands = [
      { command: 'start', description: 'Start' },
      { command: 'grid_new', description: 'New grid' },
    ];
    expect((await call('setMyCommands', { commands })).body).toEqual({ ok: true, result: true });
    expect((await call('getMyCommands')).body.result).toEqual(commands);
    expect(fake!.commands()).toEqual(commands);
    const refused = async (list: unknown) => (await call('setMyCommands', { commands: list })).body.description;
    expect(await refused([{ command: 'Start', description: 'x' }])).toBe('Bad Request: BOT_COMMAND_INVALID');
    expect(await refused([{ command: 'a'.repeat(33), description: 'x' }])).toBe('Bad Request: BOT_COMMAND_INVALID');
    expect(await refused([{ command: 'ok', description: '' }])).toBe('Bad Request: BOT_COMMAND_DESCRIPTION_INVALID');
    expect(await refused([{ command: 'ok', description: 'd'.repeat(257) }])).toBe('Bad Request: BOT_COMMAND_DESCRIPTION_INVALID');
    expect(await refused(Array.from({ length: 101 }, (_, i) => ({ command: `c${i}`, description: 'x' })))).toBe(
      'Bad Request: BOT_COMMANDS_TOO_MUCH',
    );
    expect(fake!.commands()).toEqual(commands);
    const scope = { type: 'all_group_chats' };
    await call('setMyCommands', { commands: [commands[0]], scope });
    expect(fake!.commands({ scope })).toEqual([commands[0]]);
    expect((await call('getMyCommands', { scope })).body.result).toEqual([commands[0]]);
  });

  it('enforces one message a second per private chat and catches a retry inside retry_after', async () => {
    await start();
    fake!.enforceTelegramLimits();
    fake!.addChat(dm);
    expect((await call('sendMessage', { chat_id: dm.id, text: '1' })).status).toBe(200);
    now += 400;
    expect(await call('sendMessage', { chat_id: dm.id, text: '2' })).toEqual({
      status: 429,
      body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } },
    });
    now += 500; // still inside the second it was told to wait
    expect((await call('sendMessage', { chat_id: dm.id, text: '2' })).status).toBe(429);
    expect(fake!.violations()).toHaveLength(1);
    expect(fake!.violations()[0]).toMatchObject({
      request: { method: 'sendMessage', chatId: dm.id, status: 429 },
      penalty: { retryAfter: 1 },
    });
    now += 600;
    expect((await call('sendMessage', { chat_id: dm.id, text: '2' })).status).toBe(200);
    expect(fake!.violations()).toHaveLength(1);
  });

  it('enforces twenty messages a minute per group', async () => {
    await start();
    fake!.enforceTelegramLimits();
    fake!.addChat(group);
    for (let i = 0; i < 20; i++) {
      expect((await call('sendMessage', { chat_id: group.id, text: `${i}` })).status).toBe(200);
      now += 100;
    }
    const refused = await call('sendMessage', { chat_id: group.id, text: 'one too many' });
    expect(refused.body.parameters).toEqual({ retry_after: 58 }); // 2 s after the first, which leaves the minute's window 58 s from now
    now += 58_000;
    expect((await call('sendMessage', { chat_id: group.id, text: 'later' })).status).toBe(200);
    expect(fake!.violations()).toEqual([]);
  });

  it('enforces thirty messages a second across chats', async () => {
    await start();
    fake!.enforceTelegramLimits();
    for (let i = 0; i < 31; i++) fake!.addChat({ id: 1_000 + i, type: 'private' });
    for (let i = 0; i < 30; i++) expect((await call('sendMessage', { chat_id: 1_000 + i, text: 'news' })).status).toBe(200);
    expect((await call('sendMessage', { chat_id: 1_030, text: 'news' })).body.parameters).toEqual({ retry_after: 1 });
    now += 1_000;
    expect((await call('sendMessage', { chat_id: 1_030, text: 'news' })).status).toBe(200);
  });

  it('injects 429s for matching requests and records calls made during the penalty', async () => {
    await start();
    fake!.addChat(dm);
    fake!.addChat(group);
    fake!.inject429({ chatId: group.id, method: 'sendMessage', retryAfter: 3, count: 2 });
    expect((await call('sendMessage', { chat_id: dm.id, text: 'other chat' })).status).toBe(200);
    const first = await call('sendMessage', { chat_id: group.id, text: 'a' });
    expect(first.body).toEqual({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 3',
      parameters: { retry_after: 3 },
    });
    now += 3_000; // honoured: not a violation
    expect((await call('sendMessage', { chat_id: group.id, text: 'a' })).status).toBe(429);
    now += 1_000; // too early
    expect((await call('sendMessage', { chat_id: group.id, text: 'a' })).status).toBe(200);
    expect(fake!.violations().map((v) => ({ time: v.request.time - v.penalty.from, status: v.request.status }))).toEqual([
      { time: 1_000, status: 200 },
    ]);

    fake!.inject429({ method: 'getUpdates', retryAfter: 2 });
    expect((await call('getUpdates')).body.parameters).toEqual({ retry_after: 2 });
    expect((await call('getUpdates')).status).toBe(200);
    expect(fake!.violations().at(-1)).toMatchObject({ request: { method: 'getUpdates' }, penalty: { method: 'getUpdates' } });
    expect(fake!.requests().filter((r) => r.status === 429)).toHaveLength(3);
  });

  it('holds, fails and cuts matching requests on cue', async () => {
    await start();
    fake!.addChat(dm);
    fake!.addChat(group);
    const hang = fake!.hang({ method: 'sendMessage', except: [group.id] });
    const held = call('sendMessage', { chat_id: dm.id, text: 'held' });
    expect((await call('sendMessage', { chat_id: group.id, text: 'not held' })).status).toBe(200);
    await until(() => hang.holding() === 1);
    expect(fake!.messages(dm.id)).toEqual([]); // nothing done while held
    hang.clear();
    expect((await held).status).toBe(200);
    expect(fake!.messages(dm.id).map((m) => m.text)).toEqual(['held']);

    const gaveUp = new AbortController();
    fake!.hang({ method: 'getMe' });
    const abandoned = fetch(`${fake!.url}/bot${DEFAULT_TOKEN}/getMe`, { method: 'POST', signal: gaveUp.signal }).catch(() => 'aborted');
    await until(() => fake!.requests().some((r) => r.method === 'getMe'));
    gaveUp.abort();
    expect(await abandoned).toBe('aborted');
    await until(() => fake!.requests().find((r) => r.method === 'getMe')!.status === 499);

    const conflict = fake!.failWith({ method: 'getUpdates', count: Infinity }, 409, 'Conflict: terminated by other getUpdates request');
    expect((await call('getUpdates')).body).toEqual({
      ok: false,
      error_code: 409,
      description: 'Conflict: terminated by other getUpdates request',
    });
    expect((await call('getUpdates')).status).toBe(409);
    conflict.clear();
    expect((await call('getUpdates')).status).toBe(200);
    expect(conflict.met()).toBe(2);

    fake!.drop({ method: 'getMe' });
    await expect(call('getMe')).rejects.toThrow();
    expect((await call('getMe')).status).toBe(200);
    expect(
      fake!
        .requests()
        .filter((r) => r.method === 'getMe')
        .map((r) => r.status),
    ).toEqual([499, -1, 200]);
  });
});

describe('fake Telegram Bot API: sendPhoto', () => {
  it("takes grammY's multipart upload, keeps the exact bytes and the caption, and paces it like a message", async () => {
    await start();
    fake!.enforceTelegramLimits();
    fake!.addChat(dm);
    const api = new Api(DEFAULT_TOKEN, { apiRoot: fake!.url });
    const png = tinyPng(200, 100);
    const sent = await api.sendPhoto(dm.id, new InputFile(Buffer.from(png), 'chart.png'), { caption: 'BTCUSDT 1h' });
    expect(sent.caption).toBe('BTCUSDT 1h');
    // Telegram's sizes: a thumbnail within 90 px, then the picture itself (within 1280 px)
    expect(sent.photo.map((p) => [p.width, p.height])).toEqual([
      [90, 45],
      [200, 100],
    ]);
    expect(sent.photo[1]!.file_size).toBe(png.length);
    const [read] = fake!.photos(dm.id);
    expect(read).toMatchObject({ message_id: sent.message_id, caption: 'BTCUSDT 1h' });
    expect(sha256(read!.bytes!)).toBe(sha256(png));

    now += 400; // a message right after a picture breaks the chat's pace, as after a message
    await expect(api.sendMessage(dm.id, 'too soon')).rejects.toMatchObject({ error_code: 429 });
    now += 1_000;
    fake!.inject429({ chatId: dm.id, method: 'sendPhoto', retryAfter: 2, count: 1 });
    const refused = await api.sendPhoto(dm.id, new InputFile(Buffer.from(png), 'chart.png')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GrammyError);
    expect((refused as GrammyError).parameters.retry_after).toBe(2);
    now += 2_000;
    expect(
      await api.sendPhoto(dm.id, new InputFile(Buffer.from(png), 'c.png'), { caption: 'x'.repeat(1025) }).catch((e: unknown) => e),
    ).toMatchObject({ error_code: 400, description: 'Bad Request: message caption is too long' });
    await api.sendPhoto(dm.id, new InputFile(Buffer.from(png), 'chart.png'));
    expect(fake!.photos(dm.id).map((p) => p.caption)).toEqual(['BTCUSDT 1h', '']);
  });
});
