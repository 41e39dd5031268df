/**
 * The owner's Telegram chat with a paper bot: the fake Bot API with one bot and the owner's private chat, and the real
 * app on the pipeline rig (sandbox over loopback, Redis, BullMQ) talking to it with grammY. For tests of commands as
 * the owner types them on Telegram; `close` ends both.
 */
import { type Fixed, fx } from '../../src/domain/index.js';
import { systemTime } from '../../src/execution/index.js';
import type { SandboxHub } from '../../src/sandbox/index.js';
import { type FakeTelegram, startFakeTelegram } from './fake-telegram/index.js';
import { type RigOptions, pipelineRig } from './pipeline-rig.js';
import { until } from './until.js';

export const TOKEN = '123456:TESTTOKENabcdefghijklmnopqrstuvwxyz';
export const owner = { id: 1001, first_name: 'Owner' };
export const ownerDm = { id: 1001, type: 'private' as const };
const HOUR = 3_600_000;

export type TelegramChat = Awaited<ReturnType<typeof telegramChat>>;

export async function telegramChat(options: RigOptions = {}) {
  const fake: FakeTelegram = await startFakeTelegram();
  fake.addBot(TOKEN, { id: 123456, username: 'telegrid_test_bot' });
  fake.addChat(ownerDm, TOKEN, owner);
  const rig = await pipelineRig({
    ...options,
    env: { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.url, TELEGRAM_ALLOWED_CHAT_IDS: String(ownerDm.id), ...options.env },
  });
  const messages = () => fake.messages(ownerDm.id, TOKEN);
  const texts = () => messages().map((m) => m.text ?? '');
  /** Waits for a message of the bot's matching `pattern` (as messages stand now, edits applied) and returns it. */
  const answer = async (pattern: RegExp, boundMs = 20_000): Promise<string> => {
    await until(() => texts().some((t) => pattern.test(t)), boundMs);
    return texts().find((t) => pattern.test(t))!;
  };
  /** Sends a command and waits for a message after it matching `expected`. */
  const send = async (text: string, expected: RegExp, boundMs = 20_000): Promise<string> => {
    const before = messages().length;
    fake.userSends(ownerDm, owner, text, TOKEN);
    const after = () =>
      messages()
        .slice(before)
        .map((m) => m.text ?? '');
    await until(() => after().some((t) => expected.test(t)), boundMs);
    return after().find((t) => expected.test(t))!;
  };
  /** Taps the button labelled `label` under `message`. */
  const tap = (message: { message_id: number; reply_markup?: unknown }, label: string): void => {
    const rows = (message.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;
    const button = rows.flat().find((b) => b.text === label);
    if (button === undefined) throw new Error(`no button '${label}' under message ${message.message_id}`);
    fake.userTaps(ownerDm, owner, message.message_id, button.callback_data, TOKEN);
  };
  await answer(/telegrid · paper/);
  return {
    fake,
    rig,
    messages,
    texts,
    answer,
    send,
    tap,
    photos: () => fake.photos(ownerDm.id, TOKEN),
    async close() {
      await rig.close();
      await fake.close();
    },
  };
}

/** Trades the sandbox's tape holds before the bot starts: the bot's candles come from the sandbox's klines. */
export interface PastTrades {
  /** From this long before now (to the hour before that when `wholeHours`) … */
  readonly hours: number;
  readonly wholeHours?: boolean;
  /** … up to this long before now, one trade every `everyMs`. */
  readonly untilMsAgo: number;
  readonly everyMs: number;
  /** The price walks up from 95,000 by `step` and back every `cycle` trades. */
  readonly step: Fixed;
  readonly cycle: number;
  readonly firstId: number;
}

export function pastTrades(o: PastTrades) {
  return (hub: SandboxHub): void => {
    const now = systemTime.now();
    const from = (o.wholeHours === true ? now - (now % HOUR) : now) - o.hours * HOUR;
    for (let i = 0, t = from; t < now - o.untilMsAgo; i++, t += o.everyMs)
      hub.trade({
        symbol: 'BTCUSDT',
        price: fx('95000') + BigInt(i % o.cycle) * o.step,
        quantity: fx('0.01'),
        time: t,
        tradeId: o.firstId + i,
        isBuyerMaker: i % 2 === 0,
      });
  };
}
