import { ok } from '../../../src/domain/index.js';
import {
  type AnyCommand,
  Dispatcher,
  TelegramTransport,
  type TelegramTransportOptions,
  builtinCommands,
  defineCommand,
  noArgs,
} from '../../../src/chat/index.js';
import { DEFAULT_TOKEN, type FakeTelegram, startFakeTelegram } from '../../kit/fake-telegram/index.js';
import type { Message } from '../../kit/fake-telegram/index.js';
import { until } from '../../kit/until.js';
import { FakeServices } from '../fake-services.js';

export const alice = { id: 501, first_name: 'Alice', username: 'alice' };
export const bob = { id: 502, first_name: 'Bob', username: 'bob' };
export const carol = { id: 777, first_name: 'Carol' };
export const aliceDm = { id: 501, type: 'private' as const };
export const carolDm = { id: 777, type: 'private' as const };
export const desk = { id: -1001234, type: 'supergroup' as const, title: 'Desk' };

/** 50 lines of 99 characters and a newline: 5000 characters, for the split test. */
export const LONG_TEXT = Array.from({ length: 50 }, (_, i) => `${String(i).padStart(2, '0')} ${'x'.repeat(96)}`).join('\n');

function reportCommand(): AnyCommand {
  return defineCommand({
    name: 'report',
    role: 'viewer',
    summary: 'A long report (test only).',
    usage: '/report',
    example: '/report',
    args: noArgs,
    handler: async () => ok(undefined),
    render: () => ({ text: LONG_TEXT }),
  });
}

export interface Rig {
  fake: FakeTelegram;
  services: FakeServices;
  transport: TelegramTransport;
  logs: { level: 'info' | 'warn'; obj: object; msg: string }[];
  clock: { now: number };
  /** The bot's messages in a chat once there are at least `count` (bounded wait on the fake's records). */
  botMessages(chatId: number, count: number): Promise<Message[]>;
  close(): Promise<void>;
}

/** The real grammY bot, long-polling the fake Bot API, over a Dispatcher on fake trading services. */
export async function startRig(
  over: Partial<TelegramTransportOptions> = {},
  beforeStart?: (fake: FakeTelegram, clock: { now: number }) => void,
  commands: readonly AnyCommand[] = [],
): Promise<Rig> {
  const clock = { now: Date.UTC(2026, 0, 5, 12) };
  const fake = await startFakeTelegram({ clock: () => clock.now });
  const services = new FakeServices();
  const wall = { now: () => clock.now };
  const session = new Dispatcher({ services, clock: wall, commands: [...builtinCommands(services), reportCommand(), ...commands] });
  const logs: Rig['logs'] = [];
  const transport = new TelegramTransport({
    token: DEFAULT_TOKEN,
    apiRoot: fake.url,
    session,
    allowedChatIds: [String(aliceDm.id), String(desk.id)],
    allowedUserIds: [String(alice.id), String(bob.id)],
    clock: wall,
    maxCommandAgeMs: 120_000,
    log: { info: (obj, msg) => logs.push({ level: 'info', obj, msg }), warn: (obj, msg) => logs.push({ level: 'warn', obj, msg }) },
    pollTimeoutSeconds: 10,
    ...over,
  });
  beforeStart?.(fake, clock);
  await transport.start();
  return {
    fake,
    services,
    transport,
    logs,
    clock,
    async botMessages(chatId, count) {
      await until(() => fake.messages(chatId).length >= count);
      return fake.messages(chatId);
    },
    async close() {
      await transport.stop();
      await fake.close();
    },
  };
}

export function buttonsOf(message: Message): { text: string; callback_data: string }[] {
  const markup = message.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined;
  return (markup?.inline_keyboard ?? []).flat();
}
