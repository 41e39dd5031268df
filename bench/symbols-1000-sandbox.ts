/**
 * The symbols_1000 bench's exchange: `telegrid sandbox --universe N` (runSandbox, as the CLI runs it) in a process of
 * its own. It answers the bench over IPC with its URLs and symbols, and at the end with what the venue saw of the bot:
 * its open orders per grid and the grid fills, counted from the sandbox's own execution reports.
 */
import { loadConfig } from '../src/app/config.js';
import { parseSandboxFlags, runSandbox } from '../src/app/sandbox-command.js';

export interface SandboxReady {
  readonly httpBase: string;
  readonly wsBase: string;
  readonly wsApi: string;
  readonly symbols: readonly string[];
}

export interface SandboxSeen {
  /** Trades the tape played. */
  readonly trades: number;
  /** `tg_` LIMIT orders completely filled. */
  readonly gridFills: number;
  /** How many grids have n open `tg_` orders on the venue, by n. */
  readonly openPerGrid: Record<string, number>;
}

type SandboxAsk =
  | { readonly id: number; readonly ask: 'start'; readonly flags: readonly string[] }
  | { readonly id: number; readonly ask: 'seen' }
  | { readonly id: number; readonly ask: 'stop' };

/** `tg_<grid>_<seq>_<B|S><level>`: the grid's id. */
const gridOf = (clientOrderId: string): string | undefined => /^tg_([^_]+)_/.exec(clientOrderId)?.[1];

export async function runBenchSandbox(): Promise<void> {
  let stop: (() => Promise<void>) | undefined;
  let seen: (() => SandboxSeen) | undefined;

  async function start(argv: readonly string[]): Promise<SandboxReady> {
    const config = loadConfig({});
    if (!config.ok) throw new Error(config.message);
    const flags = parseSandboxFlags(argv, config.config);
    if (!flags.ok) throw new Error(flags.error.message);
    const run = await runSandbox(flags.value, config.config);
    if (!run.ok) throw new Error(run.error.message);
    const { hub, server } = run.value;
    let trades = 0;
    let gridFills = 0;
    hub.onTrade(() => trades++);
    hub.onVenueEvent((e) => {
      if (e.type !== 'execution') return;
      const r = e.report;
      if (r.trade !== undefined && r.type === 'LIMIT' && r.status === 'FILLED' && gridOf(r.clientOrderId) !== undefined) gridFills++;
    });
    seen = () => {
      const open = hub.engine.openOrders();
      const perGrid = new Map<string, number>();
      if (open.ok) {
        for (const o of open.value) {
          const grid = gridOf(o.clientOrderId);
          if (grid !== undefined) perGrid.set(grid, (perGrid.get(grid) ?? 0) + 1);
        }
      }
      const openPerGrid: Record<string, number> = {};
      for (const n of perGrid.values()) openPerGrid[n] = (openPerGrid[n] ?? 0) + 1;
      return { trades, gridFills, openPerGrid };
    };
    stop = run.value.stop;
    return {
      httpBase: server.httpBase,
      wsBase: server.wsBase,
      wsApi: server.wsApi,
      symbols: hub.engine.instruments().map((i) => i.symbol),
    };
  }

  process.on('message', (raw) => {
    const m = raw as SandboxAsk;
    const answer = async (): Promise<unknown> => {
      switch (m.ask) {
        case 'start':
          return start(m.flags);
        case 'seen':
          return seen?.();
        case 'stop':
          await stop?.();
          return {};
      }
    };
    answer().then(
      (value) => process.send?.({ id: m.id, value }),
      (error: unknown) => process.send?.({ id: m.id, error: (error as Error).stack ?? String(error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
