import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { type RunningSandbox, parseSandboxFlags, runSandbox } from '../../src/app/sandbox-command.js';
import { StepTimers } from '../kit/step-timers.js';

/** `telegrid sandbox --funding-rate / --funding-data`: the USD-M funding source reaches /fapi, read back over HTTP. */
const MAY_2025 = fileURLToPath(new URL('../../../shared/data/futures/um/fundingRate/BTCUSDT-fundingRate-2025-05.csv', import.meta.url));
const NOW = Date.UTC(2025, 4, 10, 12, 0, 0);

const running: RunningSandbox[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

function config() {
  const c = loadConfig({ MARKET_SYMBOLS: 'BTCUSDT,ETHUSDT' });
  if (!c.ok) throw new Error(c.message);
  return c.config;
}

async function start(args: string[]): Promise<string> {
  const flags = parseSandboxFlags(['--port', '0', ...args], config());
  if (!flags.ok) throw new Error(flags.error.message);
  // Stepped wall time that the test never steps: the synthetic tape stays still, the clock reads NOW.
  const timers = new StepTimers(NOW);
  const run = await runSandbox(flags.value, config(), () => timers.now(), timers);
  if (!run.ok) throw new Error(run.error.message);
  running.push(run.value);
  return run.value.server.httpBase;
}

const json = async (url: string): Promise<unknown> => (await fetch(url)).json();

describe('telegrid sandbox funding flags', () => {
  it('--funding-rate sets the constant rate premiumIndex shows', async () => {
    const base = await start(['--funding-rate=-0.0002']);
    expect(await json(`${base}/fapi/v1/premiumIndex?symbol=ETHUSDT`)).toMatchObject({ lastFundingRate: '-0.00020000' });
  });

  it('--funding-data replays a fundingRate CSV for the symbol its name gives', async () => {
    const base = await start(['--funding-data', MAY_2025]);
    const rows = (await json(`${base}/fapi/v1/fundingRate?symbol=BTCUSDT&limit=2`)) as unknown[];
    expect(rows).toEqual([
      { symbol: 'BTCUSDT', fundingRate: '0.00009657', fundingTime: Date.UTC(2025, 4, 10, 0), markPrice: '' },
      { symbol: 'BTCUSDT', fundingRate: '0.00010000', fundingTime: Date.UTC(2025, 4, 10, 8), markPrice: '' },
    ]);
    expect(await json(`${base}/fapi/v1/fundingRate?symbol=ETHUSDT`)).toEqual([]);
  });

  it('refuses a bad rate, a file not named for a symbol, and a symbol the sandbox does not serve', async () => {
    const bad = parseSandboxFlags(['--funding-rate', '1e-4'], config());
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toContain('--funding-rate expects a decimal');
    const named = parseSandboxFlags(['--port', '0', '--funding-data', '/tmp/rates.csv'], config());
    if (!named.ok) throw new Error(named.error.message);
    const timers = new StepTimers(NOW);
    const noName = await runSandbox(named.value, config(), () => timers.now(), timers);
    expect(noName.ok ? 'started' : noName.error.message).toContain('is not named SYMBOL-fundingRate-');
    const other = parseSandboxFlags(['--port', '0', '--symbols', 'ETHUSDT', '--funding-data', MAY_2025], config());
    if (!other.ok) throw new Error(other.error.message);
    const unserved = await runSandbox(other.value, config(), () => timers.now(), timers);
    expect(unserved.ok ? 'started' : unserved.error.message).toContain('BTCUSDT is not among the symbols the sandbox serves');
  });
});
