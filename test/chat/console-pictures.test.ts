import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChatSession, ConsoleTransport } from '../../src/chat/index.js';
import { sha256, tinyPng } from '../kit/tiny-png.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const CHART = tinyPng(120, 80);

/** Every line answers with a text and a picture whose file name is the line itself. */
const picturing: ChatSession = {
  handle: async (_chatId, text) => ({ text: `Chart for ${text}:`, photo: { png: CHART, caption: 'BTCUSDT · 1h', filename: text } }),
};

async function run(lines: string, chartDir: string, session = picturing): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.setEncoding('utf8');
  output.on('data', (chunk: string) => (out += chunk));
  const transport = new ConsoleTransport({ session, input, output, prompt: '> ', chartDir });
  input.end(lines);
  await transport.closed;
  return out;
}

describe('console pictures', () => {
  it('saves each picture under a safe, unique name in CHART_DIR and prints its path under the text', async () => {
    dir = await mkdtemp(join(tmpdir(), 'telegrid-charts-'));
    const charts = join(dir, 'charts'); // created on the first picture
    const out = await run('btc-1h.png\n../../etc/evil name\n.hidden\nbtc-1h.png\n', charts);

    expect((await readdir(charts)).sort()).toEqual(['btc-1h-2.png', 'btc-1h.png', 'evil_name.png', 'hidden.png']);
    for (const name of ['btc-1h.png', 'btc-1h-2.png', 'evil_name.png', 'hidden.png'])
      expect(sha256(await readFile(join(charts, name)))).toBe(sha256(CHART));
    expect(out).toContain(`> Chart for btc-1h.png:\n🖼 BTCUSDT · 1h — saved to ${join(charts, 'btc-1h.png')}\n`);
    expect(out).toContain(`🖼 BTCUSDT · 1h — saved to ${join(charts, 'evil_name.png')}\n`);
    expect(out).toContain(`🖼 BTCUSDT · 1h — saved to ${join(charts, 'btc-1h-2.png')}\n`);
  });

  it('prints just the path for a picture without a caption', async () => {
    dir = await mkdtemp(join(tmpdir(), 'telegrid-charts-'));
    const bare: ChatSession = { handle: async () => ({ text: '', photo: { png: CHART, caption: '', filename: 'bare.png' } }) };
    expect(await run('/chart\n', dir, bare)).toBe(`> 🖼 saved to ${join(dir, 'bare.png')}\n`);
  });

  it('says so when the folder cannot be written, and goes on', async () => {
    dir = await mkdtemp(join(tmpdir(), 'telegrid-charts-'));
    await run('first\n', dir); // `dir/first.png` exists now; a folder cannot be made under a file
    const out = await run('again\n', join(dir, 'first.png', 'sub'));
    expect(out).toContain('Chart for again:\n✗ The picture again could not be saved in ');
  });
});
