import { afterEach, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/app/audit-command.js';
import { loadConfig } from '../../src/app/config.js';
import { REDIS_KEYS } from '../../src/domain/index.js';
import { paperChat } from '../kit/paper-chat.js';
import { deleteKeys, uniquePrefix, withRedis } from '../kit/redis.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

type Entry = Record<string, unknown> & { kind: string };

/** The stream as any other process reads it: its own connection, XRANGE, the one JSON field of each entry. */
async function readStream(prefix: string): Promise<{ raw: string; entries: Entry[] }> {
  const rows = await withRedis((r) => r.xrange(REDIS_KEYS.auditLog.key(prefix), '-', '+'));
  const jsons = rows.map(([, fields]) => fields[fields.indexOf('entry') + 1]!);
  return { raw: jsons.join('\n'), entries: jsons.map((j) => JSON.parse(j) as Entry) };
}

const BINANCE_LIKE_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const BOT_TOKEN = '7012345678:AAF1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW';

describe('the audit trail of a paper run, read from Redis by another process', () => {
  it('holds every step of a grid started, confirmed and killed; a pasted secret is scrubbed; telegrid audit prints it', async () => {
    const prefix = uniquePrefix();
    cleanup.push(() => deleteKeys(prefix));
    const { app, clock, type, market, restOpenOrders } = await paperChat({ KEY_PREFIX: prefix });
    cleanup.push(() => app.shutdown());
    await market(0.2);

    await type('/grid BTCUSDT 10 0.5', 'Type confirm or cancel.');
    await type('confirm', 'Grid G1 started');
    await type(`/status apikey=${BINANCE_LIKE_KEY} ${BOT_TOKEN}`, 'Example:');
    await type('/kill', 'Type confirm or cancel.');
    await type('confirm', 'Send /resume to trade again.');
    expect(await restOpenOrders()).toEqual([]);
    await app.audit.flush();

    const { raw, entries } = await readStream(prefix);
    const owner = { chatId: 'console', role: 'owner' };
    // The steps in the order they happened (other entries may sit between them).
    const steps: Partial<Entry>[] = [
      { kind: 'command', ...owner, command: 'grid', text: '/grid BTCUSDT 10 0.5' },
      { kind: 'outcome', command: 'grid', ok: true },
      { kind: 'confirmation', ...owner, outcome: 'confirmed', via: 'typed', command: 'grid' },
      { kind: 'grid', event: 'started', gridId: 'G1', symbol: 'BTCUSDT' },
      { kind: 'outcome', command: 'grid', ok: true, summary: expect.stringContaining('Grid G1 started') },
      // The pipeline sends them once the confirmation has answered; the chat kit waits for them before the next line.
      { kind: 'order', event: 'sent', symbol: 'BTCUSDT' },
      { kind: 'command', command: 'status', args: null },
      { kind: 'command', ...owner, command: 'kill', text: '/kill', args: 'ask' },
      { kind: 'confirmation', outcome: 'confirmed', command: 'kill' },
      { kind: 'state', from: 'ACTIVE', to: 'HALTED' },
      // The kill switch answers once trading is halted, then works the exchange: its cancels follow the acknowledgement.
      { kind: 'outcome', command: 'kill', ok: true, summary: expect.stringContaining('Kill switch: trading HALTED') },
      { kind: 'order', event: 'canceled' },
    ];
    expect(entries.some((e) => matches(e, { kind: 'grid', event: 'stopped', gridId: 'G1', reason: 'kill' }))).toBe(true);
    let at = 0;
    for (const step of steps) {
      const found = entries.findIndex((e, i) => i >= at && matches(e, step));
      expect(
        found,
        `no ${JSON.stringify(step)} after entry ${at}:\n${entries.map((e) => JSON.stringify(e)).join('\n')}`,
      ).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
    // The grid's command arguments as parsed, money as decimals.
    expect(entries.find((e) => e.kind === 'command' && e.command === 'grid')?.args).toMatchObject({
      symbol: 'BTCUSDT',
      levels: 10,
      spacingPct: '0.5',
    });
    // Every limit order the grid sent was cancelled by the kill (the market buy for its sells filled).
    const sent = entries.filter((e) => e.kind === 'order' && e.event === 'sent');
    const limits = sent.filter((e) => (e.order as { type: string }).type === 'LIMIT').map((e) => e.clientOrderId);
    const canceled = entries.filter((e) => e.kind === 'order' && e.event === 'canceled').map((e) => e.clientOrderId);
    expect(limits.length).toBeGreaterThan(0);
    expect(new Set(canceled)).toEqual(new Set(limits));
    expect(entries.every((e) => typeof e.at === 'string')).toBe(true);

    // The pasted key and token are gone from the stream; the command is still there, marked.
    expect(raw).not.toContain(BINANCE_LIKE_KEY);
    expect(raw).not.toContain(BOT_TOKEN.split(':')[1]);
    expect(entries.find((e) => e.command === 'status' && e.kind === 'command')?.text).toBe('/status apikey=[secret] [secret]');

    // `telegrid audit --since 2d`: the same entries, one JSON object a line, with the stream id.
    const config = loadConfig({ KEY_PREFIX: prefix });
    if (!config.ok) throw new Error(config.message);
    let out = '';
    let err = '';
    // `--since` reads the bot's clock, as the entries' ids and `at` do: the manual clock here, wall time in a real run.
    const io = { now: clock.now(), out: (t: string) => void (out += t), err: (t: string) => void (err += t) };
    expect(await runAudit(['--since', '2d'], config.config, io)).toBe(0);
    const lines = out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Entry);
    expect(lines.map(({ id: _id, ...rest }) => rest)).toEqual(entries);
    expect(lines.every((l) => /^\d+-\d+$/.test(String(l.id)))).toBe(true);
    expect(err).toBe('');

    out = '';
    expect(await runAudit(['--since=2099-01-01'], config.config, io)).toBe(0);
    expect(out).toBe('');
    expect(await runAudit(['--since', 'yesterday'], config.config, io)).toBe(2);
    expect(err).toContain("--since 'yesterday': expected a duration like 30m, 2h or 2d, or an ISO date");
  }, 60_000);
});

function matches(entry: Entry, want: Partial<Entry>): boolean {
  return Object.entries(want).every(([k, v]) => {
    try {
      expect(entry[k]).toEqual(v);
      return true;
    } catch {
      return false;
    }
  });
}
