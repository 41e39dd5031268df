/**
 * The bot on the sandbox with the real grammY transport against the fake Bot API, under seeded hostile traffic
 * (test/kit/hostile-updates.ts). What must hold: every update is consumed (the bot never goes deaf), nothing reaches
 * the exchange and trading stays ACTIVE (nobody allowed asked for anything), strangers get at most the refusal budget,
 * no reply carries a control character, and at the end the owner's `/kill now` is still acknowledged.
 */
import { fx } from '../../src/domain/index.js';
import { type FakeTelegram, type Message, startFakeTelegram } from './fake-telegram/index.js';
import { type HostileStep, type Who, hostileStepsFor, updateCount } from './hostile-updates.js';
import { pipelineRig } from './pipeline-rig.js';
import { until } from './until.js';

const TOKEN = '123456:HOSTILEabcdefghijklmnopqrstuvwxyz';
const owner = { id: 1001, first_name: 'Owner' };
const stranger = { id: 2002, first_name: 'Stranger' };
const lurker = { id: 3003, first_name: 'Lurker' }; // a member of the allowed group who is not allowed to command
const ownerDm = { id: 1001, type: 'private' as const };
const strangerDm = { id: 2002, type: 'private' as const };
const group = { id: -100777, type: 'supergroup' as const, title: 'Desk' };

/** Control characters no reply may carry: NUL and the rest of C0 but tab and newline, and the bidi overrides. */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u202A-\u202E\u2066-\u2069]/;

export interface HostileReport {
  readonly seed: number;
  readonly steps: number;
  readonly updates: number;
  readonly byKind: Readonly<Record<string, number>>;
  /** Messages the bot sent to the owner's chats and to strangers' chats (refusals, /whoami answers). */
  readonly toOwner: number;
  readonly toStrangers: number;
  /** Replies still waiting in the paced outbox when the run ended (Telegram's 1 a second per chat holds them). */
  readonly waitingInOutbox: number;
  /** POST /api/v3/order requests the exchange received: must be 0. */
  readonly ordersPlaced: number;
  readonly tradingState: string;
  readonly withControlCharacters: number;
  /** The owner's final `/kill now` was acknowledged. */
  readonly killAcknowledged: boolean;
}

function place(who: Who): { chat: typeof ownerDm | typeof strangerDm | typeof group; from: typeof owner } {
  switch (who) {
    case 'owner':
      return { chat: ownerDm, from: owner };
    case 'ownerInGroup':
      return { chat: group, from: owner };
    case 'stranger':
      return { chat: strangerDm, from: stranger };
    case 'strangerInGroup':
      return { chat: group, from: lurker };
  }
}

const buttonsOf = (m: Message): string[] =>
  ((m.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard ?? [])
    .flat()
    .flatMap((b) => (b.callback_data === undefined ? [] : [b.callback_data]));

/** Plays seeded steps making at least `updates` updates at the bot and reports what it did; the caller asserts. */
export async function hostileRun(seed: number, updates: number): Promise<HostileReport> {
  const fake: FakeTelegram = await startFakeTelegram();
  fake.addBot(TOKEN, { id: 123456, username: 'telegrid_test_bot' });
  fake.addChat(ownerDm, TOKEN, owner);
  fake.addChat(group, TOKEN);
  const rig = await pipelineRig({
    env: {
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_ALLOWED_CHAT_IDS: `${ownerDm.id},${group.id}`,
      TELEGRAM_ALLOWED_USER_IDS: String(owner.id),
      METRICS_PORT: '0',
    },
    balances: { USDT: fx('100000'), BTC: fx('1') },
  });
  try {
    const botMessages = () => [ownerDm.id, group.id, strangerDm.id].flatMap((id) => fake.messages(id, TOKEN));
    await until(() => fake.messages(ownerDm.id, TOKEN).some((m) => /telegrid · paper/.test(m.text ?? '')), 30_000);
    // Real previews with real buttons, never confirmed: what strangers replay.
    fake.userSends(ownerDm, owner, '/grid BTCUSDT 5 0.5', TOKEN);
    fake.userSends(group, owner, '/grid@telegrid_test_bot BTCUSDT 5 0.5', TOKEN);
    await until(() => botMessages().filter((m) => buttonsOf(m).length > 0).length >= 2, 30_000);

    const steps = hostileStepsFor(seed, updates);
    const byKind: Record<string, number> = {};
    for (const step of steps) {
      byKind[`${step.kind}:${step.who}`] = (byKind[`${step.kind}:${step.who}`] ?? 0) + 1;
      play(fake, step, botMessages);
    }
    await until(() => fake.pendingUpdates(TOKEN).length === 0, 120_000);
    const ordersPlaced = rig.responses.filter((r) => r.method === 'POST' && r.path === '/api/v3/order').length;
    const tradingState = rig.app.kernel.tradingState.state();
    const toStrangers = fake.messages(strangerDm.id, TOKEN).length;

    fake.userSends(ownerDm, owner, '/kill now', TOKEN);
    const acked = () => fake.messages(ownerDm.id, TOKEN).some((m) => /Kill switch: trading HALTED/.test(m.text ?? ''));
    await until(acked, 180_000).catch(() => undefined);
    const toOwner = fake.messages(ownerDm.id, TOKEN).length + fake.messages(group.id, TOKEN).length;
    const withControlCharacters = botMessages().filter((m) => CONTROL.test(m.text ?? '')).length;
    const waiting = (await rig.app.front.outbox?.stats())?.waiting;
    return {
      seed,
      steps: steps.length,
      updates: updateCount(steps),
      byKind,
      toOwner,
      toStrangers,
      waitingInOutbox: (waiting?.urgent ?? 0) + (waiting?.routine ?? 0),
      ordersPlaced,
      tradingState,
      withControlCharacters,
      killAcknowledged: acked(),
    };
  } finally {
    await rig.close();
    await fake.close();
  }
}

function play(fake: FakeTelegram, step: HostileStep, botMessages: () => Message[]): void {
  const { chat, from } = place(step.who);
  const latest = botMessages()
    .filter((m) => m.chat.id === chat.id)
    .at(-1);
  switch (step.kind) {
    case 'text':
      fake.userSends(chat, from, step.text, TOKEN);
      return;
    case 'edit':
      fake.userEdits(chat, from, Math.max(1, (latest?.message_id ?? 2) - 1), step.text, TOKEN);
      return;
    case 'forgedTap':
      fake.userTapsForged(chat, from, step.onMissingMessage || !latest ? 999_999 : latest.message_id, step.data, TOKEN);
      return;
    case 'replayedTap': {
      // Real data from a button the bot sent; in the group the lurker presses the real button on the owner's preview.
      const withButtons = botMessages().filter((m) => buttonsOf(m).length > 0);
      const target = withButtons.find((m) => m.chat.id === chat.id) ?? withButtons[0]!;
      const data = buttonsOf(target)[0]!;
      if (target.chat.id === chat.id) fake.userTaps(chat, from, target.message_id, data, TOKEN);
      else fake.userTapsForged(chat, from, latest?.message_id ?? 999_999, data, TOKEN);
      return;
    }
    case 'burst':
      for (const text of step.texts) fake.userSends(chat, from, text, TOKEN);
  }
}
