import { describe, expect, it } from 'vitest';
import { Dispatcher, buttonData, menuCommands, parseButtonData, skippedText, splitText } from '../../../src/chat/index.js';
import { ManualClock } from '../../../src/engine/index.js';
import { judgeText } from '../../../src/chat/telegram/text-verdict.js';
import { FakeServices } from '../fake-services.js';

describe('splitText', () => {
  it('keeps a short text whole and cuts a long one at line boundaries', () => {
    expect(splitText('a\nb')).toEqual(['a\nb']);
    expect(splitText('aaaa\nbbbb\ncccc', 9)).toEqual(['aaaa\nbbbb', 'cccc']);
    expect(splitText('')).toEqual([]);
    expect(splitText(' \n \n')).toEqual([]);
  });

  it('drops the blank lines a cut lands on', () => {
    expect(splitText('aaaa\n\n\nbbbb', 5)).toEqual(['aaaa', 'bbbb']);
  });

  it('cuts a single over-long line at a space, else hard, never inside a surrogate pair', () => {
    expect(splitText('aaa bbb ccc', 8)).toEqual(['aaa bbb', 'ccc']);
    expect(splitText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    const emoji = `abc${'😀'.repeat(3)}`; // 'abc' + 6 UTF-16 units
    const parts = splitText(emoji, 4);
    expect(parts.join('')).toBe(emoji);
    expect(parts.every((p) => p.length <= 4 && !/[\ud800-\udbff]$/.test(p))).toBe(true);
  });

  it('keeps the last part under lastLimit (room for the outcome a tap appends)', () => {
    const text = Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\n');
    const parts = splitText(text, 40, 12);
    expect(parts.at(-1)!.length).toBeLessThanOrEqual(12);
    expect(parts.every((p) => p.length <= 40)).toBe(true);
    expect(parts.join('\n')).toBe(text);
  });
});

describe('callback data', () => {
  it('round-trips and stays within 64 bytes', () => {
    expect(buttonData('confirm', 'AbC-12_x')).toBe('c:AbC-12_x');
    expect(parseButtonData('x:AbC-12_x')).toEqual({ action: 'cancel', id: 'AbC-12_x' });
    expect(buttonData('try', 'AbC-12_x')).toBe('t:AbC-12_x');
    expect(parseButtonData('t:AbC-12_x')).toEqual({ action: 'try', id: 'AbC-12_x' });
    expect(parseButtonData('c:')).toBeUndefined();
    expect(parseButtonData('stop:1')).toBeUndefined();
    expect(() => buttonData('confirm', 'x'.repeat(63))).toThrow(/64 bytes/);
  });
});

describe('menuCommands', () => {
  it('keeps valid names once, shortens descriptions to 256, adds the transport commands', () => {
    const menu = menuCommands([
      { name: 'grid', summary: 'Preview a grid.' },
      { name: 'Bad-Name', summary: 'x' },
      { name: 'long', summary: 'y'.repeat(300) },
      { name: 'whoami', summary: 'shadowed' },
    ]);
    expect(menu.map((c) => c.command)).toEqual(['grid', 'long', 'whoami', 'confirm', 'cancel']);
    expect(menu[1]!.description).toHaveLength(256);
    expect(menu[2]!.description).toBe('shadowed');
  });
});

describe('skippedText', () => {
  it('is one line listing what was skipped', () => {
    const texts = ['/kill now', `/grid BTCUSDT 10 0.5 ${'9'.repeat(50)}`, ...Array.from({ length: 8 }, () => '/pnl')];
    const line = skippedText(texts, 300_000);
    expect(line).not.toContain('\n');
    expect(line).toMatch(/^⏭ Skipped 10 commands older than 5m 00s when they reached me: \/kill now, \/grid BTCUSDT 10 0\.5 9+…, \/pnl/);
    expect(line).toMatch(/ and 2 more\. Send again if still wanted\.$/);
  });
});

describe('Dispatcher.press (confirmation by id)', () => {
  function setup() {
    const services = new FakeServices();
    const clock = new ManualClock(1_000_000);
    let n = 0;
    const dispatcher = new Dispatcher({ services, clock, confirmationIds: () => `id${++n}` });
    return { services, clock, dispatcher };
  }

  it('runs exactly the named confirmation for its user, once', async () => {
    const { services, dispatcher } = setup();
    const preview = await dispatcher.handle('g', '/grid BTCUSDT 2 0.5', 'u1');
    expect(preview.confirmationId).toBe('id1');
    expect(dispatcher.press('g', 'u2', 'id1', 'confirm')).toMatchObject({ kind: 'refused', reason: 'not_yours' });
    expect(dispatcher.press('other-chat', 'u1', 'id1', 'confirm')).toMatchObject({ kind: 'refused', reason: 'none' });
    const pressed = dispatcher.press('g', 'u1', 'id1', 'confirm');
    expect(pressed.kind).toBe('confirmed');
    if (pressed.kind === 'confirmed') expect((await pressed.outcome).text).toMatch(/^✅ Grid G3 started/);
    expect(dispatcher.press('g', 'u1', 'id1', 'confirm')).toMatchObject({ kind: 'refused', reason: 'used' });
    expect(dispatcher.press('g', 'u1', 'id1', 'cancel')).toMatchObject({ kind: 'refused', reason: 'used' });
    expect((await dispatcher.handle('g', 'confirm', 'u1')).text).toMatch(/already used/);
    expect(services.calls).toEqual(['previewGrid', 'startGrid']);
  });

  it('a replaced, cancelled or expired confirmation runs nothing', async () => {
    const { services, clock, dispatcher } = setup();
    await dispatcher.handle('g', '/stop G1', 'u1');
    await dispatcher.handle('g', '/kill', 'u1');
    expect(dispatcher.press('g', 'u1', 'id1', 'confirm')).toMatchObject({ kind: 'refused', reason: 'replaced' });
    expect(dispatcher.press('g', 'u1', 'id2', 'cancel')).toMatchObject({ kind: 'cancelled', command: 'kill' });
    expect(dispatcher.press('g', 'u1', 'id2', 'confirm')).toMatchObject({ kind: 'refused', reason: 'cancelled' });
    await dispatcher.handle('g', '/kill', 'u1');
    clock.advance(60_000);
    expect(dispatcher.press('g', 'u1', 'id3', 'confirm')).toMatchObject({ kind: 'refused', reason: 'expired' });
    await dispatcher.handle('g', '/kill', 'u1'); // the expired one is now in the past, still precise
    expect(dispatcher.press('g', 'u1', 'id3', 'confirm')).toMatchObject({ kind: 'refused', reason: 'expired' });
    expect(dispatcher.press('g', 'u1', 'nope', 'confirm')).toMatchObject({ kind: 'refused', reason: 'none' });
    expect(services.calls).toEqual([]);
  });

  it('a typed confirm without a user (the console) still takes a user-bound confirmation', async () => {
    const { services, dispatcher } = setup();
    await dispatcher.handle('g', '/kill', 'u1');
    expect((await dispatcher.handle('g', 'confirm', 'u2')).text).toMatch(/waits for the person who asked/);
    await dispatcher.handle('g', 'confirm');
    expect(services.calls).toEqual(['kill']);
  });
});

describe('judgeText: what a message is to the bot as it arrives', () => {
  const facts = {
    text: '/status',
    chatType: 'private',
    allowed: true,
    pending: (): string | undefined => undefined,
    botUsername: 'telegrid_bot',
    ageMs: 1_000,
    maxAgeMs: 120_000,
  };
  const judge = (over: Partial<typeof facts>) => judgeText({ ...facts, ...over });

  it('runs a command in its chat lane; the kill switch, and a confirm of a pending /kill, in no lane and never too old', () => {
    expect(judge({})).toEqual({ kind: 'run', kill: false, urgent: false });
    expect(judge({ text: '/kill@telegrid_bot now', ageMs: 600_000 })).toEqual({ kind: 'run', kill: true, urgent: true });
    expect(judge({ text: 'yes', pending: () => 'kill' })).toEqual({ kind: 'run', kill: true, urgent: true });
    expect(judge({ text: '/confirm', pending: () => 'grid' })).toEqual({ kind: 'run', kill: false, urgent: true });
    expect(judge({ text: '/status', ageMs: 120_001 })).toEqual({ kind: 'skip', ageMs: 120_001 });
  });

  it('leaves another bot its commands and a group its talk; turns strangers away; answers /whoami', () => {
    expect(judge({ text: '/status@other_bot' })).toEqual({ kind: 'ignore' });
    expect(judge({ text: 'confirm@OtherBot', pending: () => 'grid' })).toEqual({ kind: 'ignore' });
    expect(judge({ text: 'yes', chatType: 'supergroup' })).toEqual({ kind: 'ignore' }); // nothing waits for this person
    expect(judge({ text: 'yes please', chatType: 'supergroup', pending: () => 'grid' })).toEqual({ kind: 'ignore' });
    expect(judge({ text: 'yes', chatType: 'supergroup', pending: () => 'grid' })).toEqual({ kind: 'run', kill: false, urgent: true });
    expect(judge({ text: '/grid BTCUSDT 1 1', allowed: false })).toEqual({ kind: 'refuse' });
    expect(judge({ text: 'hello', allowed: false, chatType: 'group' })).toEqual({ kind: 'ignore' });
    expect(judge({ text: '/whoami', allowed: false })).toEqual({ kind: 'whoami' });
  });
});
