import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ArchiveRequest,
  archiveFiles,
  checkArchiveRequest,
  fetchArchives,
  loadCandles,
  loadFundingRates,
} from '../../src/history/index.js';
import { type ArchiveServer, closedPort, sha256, sharedData, startArchiveServer, zipOfCsv } from './archive-server.js';

const SPOT_1M = 'spot/daily/klines/BTCUSDT/1m';
const request = (from: string, to: string, more: Partial<ArchiveRequest> = {}): ArchiveRequest => ({
  symbol: 'BTCUSDT',
  market: 'spot',
  kind: 'klines',
  interval: '1m',
  days: { from, to },
  ...more,
});

let server: ArchiveServer;
let dir: string;

beforeEach(async () => {
  server = await startArchiveServer();
  dir = mkdtempSync(join(tmpdir(), 'telegrid-history-'));
});

afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** 2020-01-01 published right, 2020-01-02 with a wrong .CHECKSUM, 2020-01-03 not at all. */
function publishJanuary(): void {
  server.publish(`${SPOT_1M}/BTCUSDT-1m-2020-01-01.zip`, zipOfCsv('BTCUSDT-1m-2020-01-01.zip', sharedData('BTCUSDT-1m-2020-01-01.csv')));
  server.publish(
    `${SPOT_1M}/BTCUSDT-1m-2020-01-02.zip`,
    zipOfCsv('BTCUSDT-1m-2020-01-02.zip', sharedData('BTCUSDT-1m-2020-01-02.csv')),
    'wrong',
  );
}

const periods = (files: readonly { period: string }[]) => files.map((f) => f.period);

describe('fetchArchives against a data.binance.vision-shaped host', () => {
  it('keeps a verified day, refuses a bad checksum keeping nothing, and reports a missing day', async () => {
    publishJanuary();
    const result = await fetchArchives(request('2020-01-01', '2020-01-03'), { baseUrl: server.baseUrl, historyDir: dir });
    if (!result.ok) throw new Error(result.error.message);
    const report = result.value;
    expect(periods(report.downloaded)).toEqual(['2020-01-01']);
    expect(periods(report.skipped)).toEqual([]);
    expect(periods(report.missing)).toEqual(['2020-01-03']);
    expect(periods(report.refused)).toEqual(['2020-01-02']);
    expect(report.refused[0]?.reason).toContain('checksum mismatch');
    expect(report.failed).toEqual([]);

    const folder = join(dir, ...SPOT_1M.split('/'));
    expect(readdirSync(folder).sort()).toEqual(['BTCUSDT-1m-2020-01-01.zip', 'BTCUSDT-1m-2020-01-01.zip.CHECKSUM']);
    const kept = join(folder, 'BTCUSDT-1m-2020-01-01.zip');
    expect(report.downloaded[0]?.localPath).toBe(kept);
    expect(readFileSync(`${kept}.CHECKSUM`, 'utf8')).toBe(`${sha256(readFileSync(kept))}  BTCUSDT-1m-2020-01-01.zip\n`);
    const candles = loadCandles(kept);
    if (!candles.ok) throw new Error(candles.error.message);
    expect(candles.value.candles).toHaveLength(1440);
  });

  it('skips what is already there and verified, without asking the host for it, and fetches a day fixed since', async () => {
    publishJanuary();
    await fetchArchives(request('2020-01-01', '2020-01-03'), { baseUrl: server.baseUrl, historyDir: dir });
    server.requests.length = 0;
    server.publish(`${SPOT_1M}/BTCUSDT-1m-2020-01-02.zip`, zipOfCsv('BTCUSDT-1m-2020-01-02.zip', sharedData('BTCUSDT-1m-2020-01-02.csv')));

    const again = await fetchArchives(request('2020-01-01', '2020-01-03'), { baseUrl: server.baseUrl, historyDir: dir });
    if (!again.ok) throw new Error(again.error.message);
    expect(periods(again.value.skipped)).toEqual(['2020-01-01']);
    expect(periods(again.value.downloaded)).toEqual(['2020-01-02']);
    expect(periods(again.value.missing)).toEqual(['2020-01-03']);
    expect(server.requests.filter((r) => r.includes('2020-01-01'))).toEqual([]);
  });

  it('fetches again a kept file whose bytes no longer match its checksum', async () => {
    publishJanuary();
    await fetchArchives(request('2020-01-01', '2020-01-01'), { baseUrl: server.baseUrl, historyDir: dir });
    const kept = join(dir, ...SPOT_1M.split('/'), 'BTCUSDT-1m-2020-01-01.zip');
    const original = readFileSync(kept);
    writeFileSync(kept, original.subarray(0, 1000));

    const again = await fetchArchives(request('2020-01-01', '2020-01-01'), { baseUrl: server.baseUrl, historyDir: dir });
    if (!again.ok) throw new Error(again.error.message);
    expect(periods(again.value.downloaded)).toEqual(['2020-01-01']);
    expect(readFileSync(kept).equals(original)).toBe(true);
  });

  it('refuses an archive published without a .CHECKSUM', async () => {
    server.publish(
      `${SPOT_1M}/BTCUSDT-1m-2020-01-01.zip`,
      zipOfCsv('BTCUSDT-1m-2020-01-01.zip', sharedData('BTCUSDT-1m-2020-01-01.csv')),
      'none',
    );
    const result = await fetchArchives(request('2020-01-01', '2020-01-01'), { baseUrl: server.baseUrl, historyDir: dir });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.refused[0]?.reason).toContain('no .CHECKSUM');
    expect(existsSync(join(dir, ...SPOT_1M.split('/'), 'BTCUSDT-1m-2020-01-01.zip'))).toBe(false);
  });

  it('reports a day the host answers with a 5xx as failed, keeping nothing, and fetches the rest', async () => {
    publishJanuary();
    server.answer(`${SPOT_1M}/BTCUSDT-1m-2020-01-01.zip`, 503);
    server.publish(`${SPOT_1M}/BTCUSDT-1m-2020-01-02.zip`, zipOfCsv('BTCUSDT-1m-2020-01-02.zip', sharedData('BTCUSDT-1m-2020-01-02.csv')));
    const result = await fetchArchives(request('2020-01-01', '2020-01-02'), { baseUrl: server.baseUrl, historyDir: dir });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.failed).toMatchObject([{ period: '2020-01-01', reason: 'the host answered HTTP 503' }]);
    expect(periods(result.value.downloaded)).toEqual(['2020-01-02']);
    expect(readdirSync(join(dir, ...SPOT_1M.split('/'))).sort()).toEqual([
      'BTCUSDT-1m-2020-01-02.zip',
      'BTCUSDT-1m-2020-01-02.zip.CHECKSUM',
    ]);
  });

  it('fetches USD-M futures klines and monthly funding rates from futures/um, and they load', async () => {
    server.publish(
      'futures/um/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2025-05-05.zip',
      zipOfCsv('BTCUSDT-1m-2025-05-05.zip', sharedData('futures/um/klines/BTCUSDT-1m-2025-05-05.csv')),
    );
    for (const month of ['2025-04', '2025-05'])
      server.publish(
        `futures/um/monthly/fundingRate/BTCUSDT/BTCUSDT-fundingRate-${month}.zip`,
        zipOfCsv(`BTCUSDT-fundingRate-${month}.zip`, sharedData(`futures/um/fundingRate/BTCUSDT-fundingRate-${month}.csv`)),
      );
    const options = { baseUrl: server.baseUrl, historyDir: dir };

    const klines = await fetchArchives(request('2025-05-05', '2025-05-05', { market: 'futures' }), options);
    if (!klines.ok) throw new Error(klines.error.message);
    const candles = loadCandles(klines.value.downloaded[0]?.localPath as string);
    if (!candles.ok) throw new Error(candles.error.message);
    expect(candles.value.candles).toHaveLength(1440);
    expect(candles.value.gaps).toEqual([]);

    const funding = await fetchArchives(
      request('2025-04-30', '2025-05-01', { market: 'futures', kind: 'fundingRate', interval: undefined }),
      options,
    );
    if (!funding.ok) throw new Error(funding.error.message);
    expect(periods(funding.value.downloaded)).toEqual(['2025-04', '2025-05']);
    const series = loadFundingRates(funding.value.downloaded.map((f) => f.localPath));
    if (!series.ok) throw new Error(series.error.message);
    expect(series.value.rows()[0]?.fundingTime).toBe(Date.UTC(2025, 3, 1));
  });

  it('says plainly when the host cannot be reached, and downloads nothing', async () => {
    const baseUrl = `http://127.0.0.1:${await closedPort()}`;
    const result = await fetchArchives(request('2020-01-01', '2020-01-31'), { baseUrl, historyDir: dir });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('HISTORY_UNREACHABLE');
    expect(result.error.message).toMatch(
      /^the archive host 127\.0\.0\.1:\d+ cannot be reached \(ECONNREFUSED\): nothing was downloaded\.$/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the archive layout', () => {
  const remote = (r: ArchiveRequest) => archiveFiles(r, '/h').map((f) => f.remotePath);

  it("names every kind as data.binance.vision does, spot and USD-M, and keeps the host's layout locally", () => {
    const trades = { kind: 'trades' as const, interval: undefined };
    expect(remote(request('2024-01-01', '2024-01-01', trades))).toEqual(['spot/daily/trades/BTCUSDT/BTCUSDT-trades-2024-01-01.zip']);
    expect(remote(request('2024-01-01', '2024-01-01', { kind: 'aggTrades', interval: undefined, market: 'futures' }))).toEqual([
      'futures/um/daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01-01.zip',
    ]);
    expect(remote(request('2024-02-28', '2024-03-01', { market: 'futures', interval: '1h' }))).toEqual([
      'futures/um/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-02-28.zip',
      'futures/um/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-02-29.zip',
      'futures/um/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-03-01.zip',
    ]);
    expect(archiveFiles(request('2024-01-01', '2024-01-01'), '/h')[0]?.localPath).toBe(
      join('/h', 'spot', 'daily', 'klines', 'BTCUSDT', '1m', 'BTCUSDT-1m-2024-01-01.zip'),
    );
  });

  it('refuses what the archive does not publish', () => {
    const refusal = (r: ArchiveRequest) => {
      const checked = checkArchiveRequest(r);
      return checked.ok ? undefined : checked.error.message;
    };
    expect(refusal(request('2024-01-01', '2024-01-01', { interval: '2m' }))).toContain("'2m' is not a kline interval");
    expect(refusal(request('2024-01-01', '2024-01-01', { interval: '1s', market: 'futures' }))).toContain('is not a kline interval');
    expect(refusal(request('2024-01-01', '2024-01-01', { kind: 'fundingRate', interval: undefined }))).toContain('USD-M futures only');
    expect(refusal(request('2024-01-01', '2024-01-01', { kind: 'trades' }))).toContain('trades archives have no interval');
    expect(refusal(request('2024-01-01', '2024-01-01', { symbol: 'btc-usdt' }))).toContain('is not a Binance symbol');
  });
});
