import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATA_USAGE, parseDataArgs } from '../../src/app/data-command.js';
import { closedPort, sharedData, startArchiveServer, zipOfCsv } from '../history/archive-server.js';
import { spawnTelegrid } from '../kit/telegrid-process.js';

function parsed(args: string) {
  const r = parseDataArgs(args.split(' '));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function refusal(args: string): string {
  const r = parseDataArgs(args === '' ? [] : args.split(' '));
  if (r.ok) throw new Error(`expected '${args}' to be refused`);
  return r.error.message;
}

describe('telegrid data fetch: arguments', () => {
  it('reads klines, other kinds, --futures and one day', () => {
    expect(parsed('fetch btcusdt 1m 2024-01-01..2024-01-31')).toEqual({
      symbol: 'BTCUSDT',
      market: 'spot',
      kind: 'klines',
      interval: '1m',
      days: { from: '2024-01-01', to: '2024-01-31' },
    });
    expect(parsed('fetch BTCUSDT 2024-01-01 --kind aggTrades --futures')).toEqual({
      symbol: 'BTCUSDT',
      market: 'futures',
      kind: 'aggTrades',
      days: { from: '2024-01-01', to: '2024-01-01' },
    });
    expect(parsed('fetch BTCUSDT 2024-01-01..2024-03-31 --kind fundingRate').market).toBe('futures');
  });

  it('names what is wrong, with an example', () => {
    expect(refusal('')).toContain('say what to do: fetch');
    expect(refusal('get BTCUSDT')).toContain("unknown data command 'get'");
    expect(refusal('fetch BTCUSDT 1m')).toContain(
      'expected SYMBOL INTERVAL FROM..TO, got 2 argument(s), e.g. telegrid data fetch BTCUSDT 1m',
    );
    expect(refusal('fetch BTCUSDT 2m 2024-01-01..2024-01-02')).toContain("'2m' is not a kline interval data.binance.vision publishes");
    expect(refusal('fetch BTCUSDT 1s 2024-01-01 --futures')).toContain("'1s' is not a kline interval");
    expect(refusal('fetch BTCUSDT 1m 2024-01-01-2024-01-31')).toContain('is not a day range: write FROM..TO as UTC days');
    expect(refusal('fetch BTCUSDT 1m 2024-02-30')).toContain('2024-02-30 is not a calendar day');
    expect(refusal('fetch BTCUSDT 1m 2024-02-01..2024-01-01')).toContain('2024-02-01..2024-01-01 ends before it starts');
    expect(refusal('fetch BTCUSDT 1m 2024-01-01 --kind ticks')).toContain(
      "--kind expects klines, trades, aggTrades, fundingRate, got 'ticks'",
    );
    expect(refusal('fetch BTCUSDT 1m 2024-01-01 --kind trades')).toContain("trades archives have no interval: drop '1m'");
    expect(refusal('fetch BTC-USDT 1m 2024-01-01')).toContain("'BTC-USDT' is not a Binance symbol");
    expect(refusal('fetch BTCUSDT 1m 2024-01-01 --spot')).toContain("Unknown option '--spot'");
    expect(refusal('fetch BTCUSDT 1m')).toContain(DATA_USAGE);
  });
});

describe('telegrid data fetch: the command', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function run(args: string[], env: Record<string, string>) {
    const cwd = mkdtempSync(join(tmpdir(), 'telegrid-data-'));
    dirs.push(cwd);
    const child = spawnTelegrid(['data', ...args], env, cwd);
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { cwd, exit, out: () => out, err: () => err };
  }

  it('downloads into HISTORY_DIR from HISTORY_BASE_URL, refusing a bad checksum and reporting a missing day', async () => {
    const server = await startArchiveServer();
    try {
      const folder = 'spot/daily/klines/BTCUSDT/1m';
      server.publish(`${folder}/BTCUSDT-1m-2020-01-01.zip`, zipOfCsv('BTCUSDT-1m-2020-01-01.zip', sharedData('BTCUSDT-1m-2020-01-01.csv')));
      server.publish(
        `${folder}/BTCUSDT-1m-2020-01-02.zip`,
        zipOfCsv('BTCUSDT-1m-2020-01-02.zip', sharedData('BTCUSDT-1m-2020-01-02.csv')),
        'wrong',
      );
      const cmd = run(['fetch', 'BTCUSDT', '1m', '2020-01-01..2020-01-03'], { HISTORY_BASE_URL: server.baseUrl });
      expect(await cmd.exit).toBe(1);
      expect(cmd.err()).toBe('');
      const out = cmd.out();
      expect(out).toContain(`fetching BTCUSDT 1m klines (spot), 2020-01-01..2020-01-03, from ${server.baseUrl}`);
      expect(out).toContain('downloaded 1, already there 0, missing 1, refused 1\n');
      expect(out).toContain('missing (the host has no archive for it, 404): 2020-01-03\n');
      expect(out).toMatch(/refused, nothing kept: 2020-01-02: checksum mismatch: the \.CHECKSUM says [0-9a-f]{64}, the download hashes to/);
      expect(out).toContain(`kept in ${join('history', ...folder.split('/'))}\n`);
      // HISTORY_DIR's default, ./history, in the folder the command ran in.
      expect(readdirSync(join(cmd.cwd, 'history', ...folder.split('/'))).sort()).toEqual([
        'BTCUSDT-1m-2020-01-01.zip',
        'BTCUSDT-1m-2020-01-01.zip.CHECKSUM',
      ]);
    } finally {
      await server.close();
    }
  });

  it('says plainly that the archive host cannot be reached, exits 3, and writes nothing', async () => {
    const cmd = run(['fetch', 'BTCUSDT', '1m', '2020-01-01..2020-01-03'], {
      HISTORY_BASE_URL: `http://127.0.0.1:${await closedPort()}`,
      HISTORY_DIR: 'kept-here',
    });
    expect(await cmd.exit).toBe(3);
    expect(cmd.err().replace(/:\d+ /, ':PORT ')).toBe(
      'telegrid data fetch: the archive host 127.0.0.1:PORT cannot be reached (ECONNREFUSED): nothing was downloaded. ' +
        'Check the internet connection, or HISTORY_BASE_URL.\n',
    );
    expect(existsSync(join(cmd.cwd, 'kept-here'))).toBe(false);
  });

  it('refuses bad arguments with exit 2 before reading any setting', async () => {
    const cmd = run(['fetch', 'BTCUSDT', '2m', '2020-01-01'], { HISTORY_BASE_URL: 'not a url' });
    expect(await cmd.exit).toBe(2);
    expect(cmd.err()).toContain("telegrid data: '2m' is not a kline interval");
  });
});
