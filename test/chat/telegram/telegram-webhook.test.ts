import { afterEach, describe, expect, it } from 'vitest';
import { type Rig, alice, aliceDm, startRig } from './harness.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('Telegram transport over a webhook', () => {
  it('registers the webhook, refuses a request without the secret, and answers one with it', async () => {
    rig = await startRig({
      mode: { webhook: { port: 0, path: '/tg/hook', secretToken: 'hook-secret', url: 'https://bot.example/tg/hook' } },
    });
    const { fake, transport, clock } = rig;
    expect(fake.sent().find((s) => s.method === 'setWebhook')!.params).toMatchObject({
      url: 'https://bot.example/tg/hook',
      secret_token: 'hook-secret',
    });
    fake.addChat(aliceDm, undefined, alice);
    const update = {
      update_id: 41,
      message: {
        message_id: 1,
        date: Math.floor(clock.now / 1000),
        chat: { id: aliceDm.id, type: 'private', first_name: 'Alice' },
        from: { id: alice.id, is_bot: false, first_name: 'Alice' },
        text: '/pnl',
        entities: [{ type: 'bot_command', offset: 0, length: 4 }],
      },
    };
    const post = (secret: string | undefined, path = '/tg/hook') =>
      fetch(`http://127.0.0.1:${transport.webhookPort()}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': secret }) },
        body: JSON.stringify(update),
      });
    expect((await post(undefined)).status).toBe(401);
    expect((await post('wrong')).status).toBe(401);
    expect((await post('hook-secret', '/elsewhere')).status).toBe(404);
    expect(fake.messages(aliceDm.id)).toEqual([]);
    expect((await post('hook-secret')).status).toBe(200);
    const [reply] = await rig.botMessages(aliceDm.id, 1);
    expect(reply!.text).toContain('1.23');
  });
});
