import { afterEach, describe, expect, it } from 'vitest';
import { fx } from '../../src/domain/index.js';
import { type FakeTelegram, startFakeTelegram } from '../kit/fake-telegram/index.js';
import { pipelineRig } from '../kit/pipeline-rig.js';
import { until } from '../kit/until.js';

const TOKEN = '123456:TESTTOKENabcdefghijklmnopqrstuvwxyz';
const owner = { id: 1001, first_name: 'Owner' };
const trader = { id: 3003, first_name: 'Trader' };
const viewer = { id: 4004, first_name: 'Viewer' };
const desk = { id: -1009001, type: 'supergroup' as const, title: 'Desk' };

type Rig = Awaited<ReturnType<typeof pipelineRig>>;
let rig: Rig | undefined;
let fake: FakeTelegram | undefined;
afterEach(async () => {
  await rig?.close();
  await fake?.close();
  rig = undefined;
  fake = undefined;
});

const texts = () => fake!.messages(desk.id, TOKEN).map((m) => m.text ?? '');
async function answer(pattern: RegExp, after = 0, bound = 20_000): Promise<string> {
  await until(
    () =>
      texts()
        .slice(after)
        .some((t) => pattern.test(t)),
    bound,
  );
  return texts()
    .slice(after)
    .find((t) => pattern.test(t))!;
}

describe('roles through Telegram, end to end (grammY against the fake Bot API, the bot on a sandbox)', () => {
  it('in a group: a viewer cannot kill (nothing changes); a trader starts a grid and kills but cannot /resume', async () => {
    fake = await startFakeTelegram();
    fake.addBot(TOKEN, { id: 123456, username: 'telegrid_test_bot' });
    fake.addChat(desk, TOKEN, owner);
    rig = await pipelineRig({
      env: {
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: fake.url,
        TELEGRAM_ALLOWED_CHAT_IDS: String(desk.id),
        // The trader and the viewer are let into the group by their roles, not by this list.
        TELEGRAM_ALLOWED_USER_IDS: String(owner.id),
        TELEGRAM_ROLES: `${owner.id}:owner,${trader.id}:trader,${viewer.id}:viewer`,
      },
      limits: { ordersPer10s: 100_000 },
      balances: { USDT: fx('100000'), BTC: fx('1') },
    });
    await answer(/telegrid · paper/);

    fake.userSends(desk, trader, '/grid BTCUSDT 10 0.5', TOKEN);
    await answer(/Grid preview for BTCUSDT/);
    const preview = fake.messages(desk.id, TOKEN).find((m) => (m.text ?? '').includes('Grid preview'))!;
    const confirm = (preview.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard[0]![0]!;
    fake.userTaps(desk, trader, preview.message_id, confirm.callback_data, TOKEN);
    await until(() => rig!.accepted.size === 20, 20_000);
    const open = rig.venueOpen();

    const before = texts().length;
    fake.userSends(desk, viewer, '/kill now', TOKEN);
    expect(await answer(/needs the/, before)).toBe('⛔ /kill needs the trader role; you are a viewer here. Nothing was done.');
    fake.userSends(desk, viewer, '/positions', TOKEN);
    await answer(/positions/i, before + 1); // a viewer reads
    expect(rig.app.kernel.tradingState.state()).toBe('ACTIVE');
    expect(await rig.app.kernel.shared!.read()).toBe('ACTIVE');
    expect(rig.responses.filter((r) => r.method === 'DELETE')).toEqual([]); // not one cancel was sent
    expect(rig.venueOpen()).toEqual(open);

    const later = texts().length;
    fake.userSends(desk, trader, '/resume', TOKEN);
    expect(await answer(/needs the/, later)).toBe('⛔ /resume needs the owner role; you are a trader here. Nothing was done.');
    fake.userSends(desk, trader, '/kill now', TOKEN);
    await answer(/Kill switch: trading HALTED/, later, 30_000);
    expect(rig.venueOpen()).toEqual([]);
    expect(rig.app.kernel.tradingState.state()).toBe('HALTED');

    await rig.app.audit.flush();
    const trail = await rig.app.audit.recent(200);
    if (!trail.ok) throw new Error(trail.error.message);
    expect(trail.value).toContainEqual(
      expect.objectContaining({ kind: 'refused', userId: String(viewer.id), role: 'viewer', command: 'kill', need: 'trader' }),
    );
    expect(trail.value).toContainEqual(
      expect.objectContaining({ kind: 'confirmation', userId: String(trader.id), role: 'trader', outcome: 'confirmed', via: 'button' }),
    );
  }, 90_000);
});
