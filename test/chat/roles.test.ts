import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/audit/index.js';
import { Dispatcher } from '../../src/chat/index.js';
import { ok } from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { FakeServices } from './fake-services.js';

const OWNER = '1001';
const TRADER = '3003';
const VIEWER = '4004';
const DESK = '-100777';

function setup(roles: Record<string, 'owner' | 'trader' | 'viewer'> | null = { [OWNER]: 'owner', [TRADER]: 'trader', [VIEWER]: 'viewer' }) {
  const services = new FakeServices();
  const entries: AuditEntry[] = [];
  const audit = { record: (e: AuditEntry) => void entries.push(e), recent: async () => ok([]) };
  const dispatcher = new Dispatcher({ services, clock: new ManualClock(1_000_000), audit, ...(roles ? { roles } : {}) });
  const say = (user: string | undefined, text: string, chat = DESK) => dispatcher.handle(chat, text, user);
  return { services, dispatcher, say, entries };
}

describe('roles: each command needs a role, and the dispatcher refuses above it', () => {
  it('a viewer cannot kill: the refusal names the role needed, nothing runs, and the refusal is audited', async () => {
    const { services, say, entries } = setup();
    for (const text of ['/kill now', '/kill', '/kill flatten', '/kill sideways']) {
      const reply = await say(VIEWER, text);
      expect(reply.text).toBe('⛔ /kill needs the trader role; you are a viewer here. Nothing was done.');
      expect(reply.buttons).toBeUndefined();
    }
    expect(await say(VIEWER, 'confirm')).toMatchObject({ text: expect.stringMatching(/nothing/i) });
    expect(services.calls).toEqual([]);
    expect(services.kills).toEqual([]);
    expect(entries.filter((e) => e.kind === 'refused')).toEqual([
      { kind: 'refused', chatId: DESK, userId: VIEWER, role: 'viewer', command: 'kill', need: 'trader', text: '/kill now' },
      { kind: 'refused', chatId: DESK, userId: VIEWER, role: 'viewer', command: 'kill', need: 'trader', text: '/kill' },
      { kind: 'refused', chatId: DESK, userId: VIEWER, role: 'viewer', command: 'kill', need: 'trader', text: '/kill flatten' },
      { kind: 'refused', chatId: DESK, userId: VIEWER, role: 'viewer', command: 'kill', need: 'trader', text: '/kill sideways' },
    ]);
    expect(entries.some((e) => e.kind === 'command')).toBe(false);
  });

  it("a viewer's refused command leaves someone else's pending confirmation alone; only its asker confirms it", async () => {
    const { services, say } = setup();
    await say(TRADER, '/grid BTCUSDT 10 0.5');
    expect((await say(VIEWER, '/grid BTCUSDT 5 1')).text).toContain('needs the trader role');
    expect((await say(VIEWER, '/stop')).text).toContain('needs the trader role'); // malformed too: refused before parsing matters
    expect((await say(VIEWER, 'confirm')).text).not.toContain('started');
    expect(services.started).toEqual([]);
    expect((await say(TRADER, 'confirm')).text).toContain('started');
    expect(services.started).toHaveLength(1);
  });

  it('a viewer reads: /status, /orders, /positions, /pnl, /balance, /grids, /help, /start', async () => {
    const { say } = setup();
    for (const text of ['/status', '/orders', '/positions', '/pnl', '/balance', '/grids', '/help', '/start']) {
      expect((await say(VIEWER, text)).text, text).not.toMatch(/^⛔/);
    }
  });

  it('a trader starts a grid and kills, but cannot lift a halt or read the audit trail (owner only)', async () => {
    const { services, say, dispatcher } = setup();
    const preview = await say(TRADER, '/grid BTCUSDT 10 0.5');
    const pressed = dispatcher.press(DESK, TRADER, preview.confirmationId!, 'confirm');
    expect(pressed.kind).toBe('confirmed');
    if (pressed.kind === 'confirmed') expect((await pressed.outcome).text).toContain('started');
    expect(services.started).toHaveLength(1);
    expect((await say(TRADER, '/kill now')).text).toContain('Kill switch: trading HALTED');
    expect(services.kills).toEqual([{ flatten: false }]);
    expect((await say(TRADER, '/resume')).text).toBe('⛔ /resume needs the owner role; you are a trader here. Nothing was done.');
    expect((await say(TRADER, '/audit 5')).text).toBe('⛔ /audit needs the owner role; you are a trader here. Nothing was done.');
    expect(services.calls).not.toContain('resume');
    expect((await say(OWNER, '/resume')).text).not.toMatch(/^⛔/);
    expect(services.calls).toContain('resume');
  });

  it("a button of someone else's confirmation is refused, audited, and runs nothing", async () => {
    const { services, say, dispatcher, entries } = setup();
    const preview = await say(TRADER, '/grid BTCUSDT 10 0.5');
    const pressed = dispatcher.press(DESK, VIEWER, preview.confirmationId!, 'confirm');
    expect(pressed).toMatchObject({ kind: 'refused', reason: 'not_yours' });
    expect(services.started).toEqual([]);
    expect(entries.at(-1)).toEqual({
      kind: 'confirmation',
      chatId: DESK,
      userId: VIEWER,
      role: 'viewer',
      outcome: 'refused',
      via: 'button',
      command: 'grid',
      reason: 'not_yours',
    });
  });

  it('with TELEGRAM_ROLES set, a user it does not name is a viewer; unset, everyone is an owner; the console is the owner', async () => {
    const named = setup();
    expect((await named.say('5555', '/kill now')).text).toContain('needs the trader role; you are a viewer');
    expect((await named.say(undefined, '/kill now', 'console')).text).toContain('Kill switch: trading HALTED');
    const open = setup(null);
    expect((await open.say('5555', '/kill now')).text).toContain('Kill switch: trading HALTED');
    expect(open.dispatcher.roleOf('5555')).toBe('owner');
  });

  it('every built-in command declares a role, and the ones that change things need more than a viewer', () => {
    const { dispatcher } = setup();
    const roles = Object.fromEntries(dispatcher.registry.commands.map((c) => [c.name, c.role]));
    expect(roles).toEqual({
      start: 'viewer',
      help: 'viewer',
      grid: 'trader',
      grids: 'viewer',
      stop: 'trader',
      positions: 'viewer',
      orders: 'viewer',
      pnl: 'viewer',
      funding: 'viewer',
      ta: 'viewer',
      chart: 'viewer',
      backtest: 'trader',
      balance: 'viewer',
      status: 'viewer',
      kill: 'trader',
      resume: 'owner',
      audit: 'owner',
      deadman: 'owner',
      limits: 'viewer',
    });
  });
});
