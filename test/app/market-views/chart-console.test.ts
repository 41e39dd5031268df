import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { paperChat } from '../../kit/paper-chat.js';

const DAY = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/data/BTCUSDT-1m-2020-01-01.csv');
const START = Date.UTC(2020, 0, 1);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('/chart in the console', () => {
  it("saves a symbol's chart and a grid's (its ladder drawn), prints each path; bad arguments get the specific problem", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'telegrid-charts-'));
    const chat = await paperChat(
      {
        MARKET_DATA: `replay:${DAY}`,
        MARKET_SYMBOLS: 'BTCUSDT',
        CHART_DIR: dir,
        RISK_STALE_AFTER_SECONDS: '7200',
        MARKET_STALE_AFTER_SECONDS: '0',
      },
      START - 1_000,
    );
    expect(await chat.type('/chart BTCUSDT', /✗/)).toContain('✗ no 1m candle of BTCUSDT yet; try again in a minute');
    await chat.market(3 * 3600, 600_000);
    const saved = (answer: string): string => {
      const m = /🖼 (.+) — saved to (.+\.png)/.exec(answer);
      if (m === null) throw new Error(`no picture in: ${answer}`);
      expect(existsSync(m[2]!)).toBe(true);
      expect(readFileSync(m[2]!).subarray(0, 8)).toEqual(PNG);
      return m[1]!;
    };
    expect(saved(await chat.type('/chart BTCUSDT 1h', /saved to/))).toBe('BTCUSDT · 1m · last hour');

    await chat.type('/grid BTCUSDT 5 0.1', /Type confirm or cancel\./);
    await chat.type('confirm', /Grid G1 started/);
    await chat.market(600, 60_000);
    expect(saved(await chat.type('/chart g1 6h', /saved to/))).toBe('BTCUSDT · 1m · last 6 h · G1');

    expect(await chat.type('/chart BTCUSDT 2d', /✗/)).toContain(
      "WINDOW: expected one of 1h, 6h, 24h, 7d, got '2d'; e.g. /chart BTCUSDT 6h.",
    );
    expect(await chat.type('/chart G7', /✗/)).toContain('there is no grid G7; /grids lists them');
    expect(await chat.type('/chart DOGEUSDT', /✗/)).toContain(
      "SYMBOL: expected a symbol the bot trades (BTCUSDT) or a grid id like G1, got 'DOGEUSDT'.",
    );
  });
});
