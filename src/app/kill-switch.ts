import { type KillAck, type KillOrderRef, type KillReceipt, type PositionView, killReceiptText } from '../chat/index.js';
import { type Fixed, type VenueOrderStatus, ZERO, format, isPerpetual, isTerminal, manualOrderId, roundQuantity } from '../domain/index.js';
import { OrderProcessor, type SweepOutcome, type SweepTarget, systemTime } from '../execution/index.js';
import { settlesWithin } from '../engine/index.js';
import { KILL_SWITCH_REASON } from '../risk/index.js';
import type { TradingKernel } from './trading-kernel.js';

/** What the kill switch needs from the order pipeline (absent for the in-process venue: it asks the gateway directly). */
interface KillControl {
  /** Writes HALTED where every process's workers read it; resolves once it is there. */
  haltNow(): Promise<void>;
  /** Resolves once the bot's current trading state is visible to every process's workers. */
  haltPublished(): Promise<void>;
  /** Removes queued placements; returns the client order ids removed. */
  dropPlacements(): Promise<readonly string[]>;
  /** One sweep of the target symbols by a worker, within the shared rate budget (see the pipeline's `sweep` job). */
  sweep(targets: readonly SweepTarget[], timeoutMs: number): Promise<ReadonlyMap<string, SweepOutcome>>;
}

export interface KillSwitchOptions {
  readonly control?: KillControl;
  /** The receipt goes out this long after the halt at the latest, with whatever is still unknown marked so. */
  readonly receiptMs: number;
  /** Says something to the owner on its own (the receipt, the update): the front end's urgent kill note. */
  readonly tell: (text: string) => void;
  /** Resolves once `ms` have passed: the receipt's bound (tests decide when). Default a real timer. */
  readonly bound?: (ms: number) => Promise<void>;
  /** Aborted at shutdown: the kill switch stops asking the exchange. */
  readonly signal?: AbortSignal;
  readonly log?: { error(obj: object, msg: string): void };
}

/** How long the halt's write to Redis may take before the kill acts on the exchange directly. */
const REDIS_WAIT_MS = 500;
/** Each request of a sweep: Binance answers in milliseconds; one that has not in this long is asked again later. */
const REQUEST_TIMEOUT_MS = 2_000;
/** How long each flattening market order is waited for. */
const FLATTEN_WAIT_MS = 10_000;
/** Between sweeps of what is still unknown: soon, then at most this often, so a returning exchange is heard at once. */
const ASK_AGAIN_MS = { first: 200, max: 1_000 } as const;

/** What the kill switch knows of one order it deals with. */
interface Entry {
  readonly symbol: string;
  /** The exchange's last word from a sweep (the tracker may hear it a moment later). */
  reported?: VenueOrderStatus;
  /** The exchange has no such order. */
  absent?: boolean;
  /** The exchange refused the cancel, with its reason. */
  refused?: string;
}

type Fate = 'canceled' | 'filled' | 'refused' | 'unknown' | 'not placed';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * The kill switch: HALTED in force first, then an acknowledgement at once; the cancels, the receipt within a bound and
 * an update closing every order the receipt left unknown follow on their own. Every symbol is swept at once, in one
 * job: a cancel-all where every order open there is the bot's, per-order cancels otherwise, every request with a short
 * timeout; what gets no answer is asked again, soon and often, until the exchange has settled every order.
 */
export function killSwitch(kernel: TradingKernel, o: KillSwitchOptions): (options: { readonly flatten: boolean }) => Promise<KillAck> {
  const { host, grids, tracker, tradingState, instruments, portfolio } = kernel;
  const bound = o.bound ?? sleep;
  const direct = new OrderProcessor({
    gateway: kernel.gateway,
    // Redis is away (or there is no pipeline): the shared budget cannot be read, and the kill must not wait for it.
    budget: { acquire: async () => ({ granted: true }), pause: async (until: number) => until },
    time: systemTime,
    settleMs: 0,
    absentConfirmMs: 0,
  });

  /** A sweep without the queue: its reports go on the bus as the queue's would. */
  const sweepDirect = async (targets: readonly SweepTarget[]): Promise<ReadonlyMap<string, SweepOutcome>> => {
    try {
      const done = await direct.process({ action: 'sweep', targets, timeoutMs: REQUEST_TIMEOUT_MS });
      if (done.kind !== 'sweep') throw new Error(`a sweep answered ${done.kind}`);
      for (const { sweep } of done.sweeps) for (const report of sweep.reports) host.bus.publish({ type: 'OrderReported', report });
      return new Map(done.sweeps.map((s) => [s.symbol, s.sweep]));
    } catch (error) {
      // Anything unforeseen: asked again on the next round.
      const problem = error instanceof Error ? error.message : String(error);
      const unanswered = (t: SweepTarget): SweepOutcome => ({
        listed: false,
        problem,
        cancelAll: false,
        reports: [],
        absent: [],
        refused: [],
        unanswered: [...t.ask],
      });
      return new Map(targets.map((t) => [t.symbol, unanswered(t)]));
    }
  };

  // Perpetuals are the futures book's (the spot portfolio ignores their fills): signed, closed reduce-only below.
  const positions = (): PositionView[] => [
    ...portfolio.positions().filter((p) => p.quantity !== ZERO),
    ...kernel.futuresBook
      .positions()
      .filter((p) => p.amount !== ZERO)
      .map((p) => ({
        symbol: p.symbol,
        quantity: p.amount,
        avgCost: p.entryPrice,
        ...(p.mark !== undefined ? { lastPrice: p.mark } : {}),
        realizedPnl: p.realizedPnl,
        unrealizedPnl: p.unrealizedPnl,
        fees: p.fees,
      })),
  ];

  /**
   * Sells (or buys back) every open position at market after the cancels, under REDUCING: the only state in which the
   * risk gate and the workers let an order through that shrinks a position and nothing else. HALTED again afterwards.
   */
  const flattenPositions = async (control: KillControl | undefined): Promise<KillReceipt['flattened'][number][]> => {
    const out: KillReceipt['flattened'][number][] = [];
    const sent: Array<{ id: string; symbol: string; side: 'BUY' | 'SELL'; quantity: Fixed }> = [];
    tradingState.set('REDUCING', `${KILL_SWITCH_REASON}: flattening positions`);
    await control?.haltPublished();
    for (const p of positions()) {
      const inst = instruments.get(p.symbol);
      if (!inst) continue;
      const side = p.quantity > ZERO ? ('SELL' as const) : ('BUY' as const);
      const quantity = roundQuantity(inst, p.quantity > ZERO ? p.quantity : -p.quantity, 'MARKET');
      if (quantity === ZERO) {
        out.push({ symbol: p.symbol, side, quantity, outcome: "below the symbol's lot step; left as it is" });
        continue;
      }
      const id = manualOrderId(host.ids.next('F'), side);
      sent.push({ id, symbol: p.symbol, side, quantity });
      host.bus.send({
        type: 'SubmitOrder',
        intent: {
          clientOrderId: id,
          symbol: p.symbol,
          side,
          type: 'MARKET',
          quantity,
          owner: { kind: 'manual' },
          reducesPosition: true,
          // A perpetual's close may never open the other side (Binance: reduceOnly, exempt from MIN_NOTIONAL).
          ...(isPerpetual(p.symbol) ? { reduceOnly: true } : {}),
        },
      });
    }
    const done = () =>
      sent.every((s) => {
        const status = tracker.get(s.id)?.status;
        return status === undefined || isTerminal(status);
      });
    for (let waited = 0; !done() && waited < FLATTEN_WAIT_MS; waited += 20) await sleep(20);
    for (const s of sent) {
      const rec = tracker.get(s.id);
      const outcome =
        rec === undefined
          ? 'refused by the risk gate'
          : rec.status === 'filled'
            ? `filled ${format(rec.filledQty)}`
            : `${rec.status}${rec.reason ? `: ${rec.reason}` : ''}`;
      out.push({ symbol: s.symbol, side: s.side, quantity: s.quantity, outcome });
    }
    tradingState.set('HALTED', `${KILL_SWITCH_REASON}: positions flattened`);
    await control?.haltPublished();
    return out;
  };

  return async ({ flatten }) => {
    // In force in Redis first, for every process's workers; then announced here. Nothing granted after this write is
    // placed. If Redis does not answer soon, the kill must not wait for it: the exchange is asked directly instead (no
    // worker can place meanwhile either, since every placement pays its budget in Redis first).
    const control = o.control;
    const queue = control && (await settlesWithin(control.haltNow(), REDIS_WAIT_MS)) === 'resolved' ? control : undefined;
    tradingState.set('HALTED', flatten ? `${KILL_SWITCH_REASON} (flatten)` : KILL_SWITCH_REASON);
    // Taken before anything else moves: the orders the receipt accounts for, whatever becomes of them meanwhile.
    const book = new Map<string, Entry>();
    for (const r of tracker.open()) book.set(r.intent.clientOrderId, { symbol: r.intent.symbol });
    const onBook = tracker.open().filter((r) => r.status !== 'new');
    const ack: KillAck = {
      orders: onBook.length,
      symbols: new Set(onBook.map((r) => r.intent.symbol)).size,
      receiptWithinMs: o.receiptMs,
      redisDown: control !== undefined && queue === undefined,
      flatten,
    };
    void runKill({ flatten, control, queue, book }).catch((error: unknown) => {
      o.log?.error({ err: error }, 'the kill switch failed after its halt');
      o.tell('⚠️ The kill switch failed after halting trading; check the exchange for open bot orders. Trading stays HALTED.');
    });
    return ack;
  };

  async function runKill(k: {
    flatten: boolean;
    control: KillControl | undefined;
    queue: KillControl | undefined;
    book: Map<string, Entry>;
  }): Promise<void> {
    const { book, queue } = k;
    // Emptied while the first sweeps go out: a placement still queued is refused by the halt whenever a worker meets it.
    const dropping = queue ? queue.dropPlacements().catch((): readonly string[] => []) : Promise.resolve([]);
    const dropped = new Set<string>();
    const listed = new Set<string>();
    const problems = new Map<string, string>();
    let gridsStopped: readonly string[] = [];
    let flattened: KillReceipt['flattened'][number][] = [];
    let flattenDone = !k.flatten;

    const fate = (id: string, e: Entry): Fate => {
      const status = tracker.get(id)?.status;
      if (status === 'filled' || e.reported === 'FILLED') return 'filled';
      if (status === 'canceled' || status === 'expired' || e.reported === 'CANCELED' || e.reported?.startsWith('EXPIRED'))
        return 'canceled';
      if (status === 'rejected' || e.reported === 'REJECTED') return 'not placed';
      // Absent while its placement may still be on the wire is "not yet", not "never": the tracker hears how it ends.
      if (e.absent && (status !== 'new' || !queue)) return 'not placed';
      if (e.refused !== undefined) return 'refused';
      return 'unknown';
    };
    const unknownOn = (symbol: string) => [...book].filter(([id, e]) => e.symbol === symbol && fate(id, e) === 'unknown').map(([id]) => id);
    const apply = (symbol: string, s: SweepOutcome) => {
      const entry = (id: string) => book.get(id) ?? book.set(id, { symbol }).get(id)!;
      for (const r of s.reports) entry(r.clientOrderId).reported = r.status;
      for (const id of s.absent) entry(id).absent = true;
      for (const r of s.refused) entry(r.clientOrderId).refused = r.reason;
      if (s.listed) {
        listed.add(symbol);
        problems.delete(symbol);
      } else if (!listed.has(symbol)) problems.set(symbol, s.problem ?? 'no answer');
    };
    /** One sweep of `symbols` together; the first asks only about orders on the book (the rest are the queue's to drop). */
    const sweep = async (symbols: readonly string[], first = false) => {
      const targets = symbols.map((symbol) => ({
        symbol,
        ask: unknownOn(symbol).filter((id) => !first || tracker.get(id)?.status !== 'new'),
      }));
      const outcomes = await (queue ? queue.sweep(targets, REQUEST_TIMEOUT_MS) : sweepDirect(targets));
      for (const [symbol, outcome] of outcomes) apply(symbol, outcome);
    };
    /** Symbols still to sweep: never listed (bot orders this process does not know may rest there), or with unknowns. */
    const toSweep = () => [...instruments.keys()].filter((symbol) => !listed.has(symbol) || unknownOn(symbol).length > 0);

    const receipt = (): KillReceipt => {
      const by = (f: Fate) =>
        [...book].filter(([id, e]) => fate(id, e) === f).map(([clientOrderId, e]): KillOrderRef => ({ clientOrderId, symbol: e.symbol }));
      const notes: string[] = [];
      if (k.control && !queue)
        notes.push('Redis did not answer: cancels went straight to the exchange, and queued placements stay refused when Redis is back.');
      for (const [symbol, why] of problems)
        notes.push(`The exchange has not yet listed ${symbol}'s open orders (${why}): only the bot's known orders there were cancelled.`);
      return {
        canceled: by('canceled'),
        filled: by('filled'),
        refused: [...book]
          .filter(([id, e]) => fate(id, e) === 'refused')
          .map(([id, e]) => ({ clientOrderId: id, symbol: e.symbol, reason: e.refused! })),
        unknown: by('unknown'),
        placementsDropped: dropped.size + by('not placed').length,
        gridsStopped,
        flattened,
        flattenPending: !flattenDone,
        positions: positions(),
        notes,
      };
    };

    const work = (async () => {
      // The sweep is on its way before the grids stop, so their cancels join it instead of going out twice.
      const first = sweep([...instruments.keys()], true);
      gridsStopped = grids.stopAll('kill').gridIds;
      const drop = (ids: readonly string[]) => {
        for (const id of ids) {
          dropped.add(id);
          book.delete(id);
        }
      };
      drop(await dropping);
      await first;
      for (
        let pause: number = ASK_AGAIN_MS.first;
        toSweep().length > 0 && !o.signal?.aborted;
        pause = Math.min(pause * 2, ASK_AGAIN_MS.max)
      ) {
        await sleep(pause);
        // A placement a worker put back after the first drain (a retry, a closing worker) is still queued: dropped now.
        if (queue && [...book.keys()].some((id) => tracker.get(id)?.status === 'new')) drop(await queue.dropPlacements().catch(() => []));
        await sweep(toSweep());
      }
      // With Redis away nothing can be placed (every placement pays its budget there): flatten waits for /kill again.
      if (k.flatten && (queue || !k.control) && !o.signal?.aborted) flattened = await flattenPositions(queue);
      flattenDone = true;
    })();
    const inTime = await Promise.race([work.then(() => true), bound(o.receiptMs).then(() => false)]);
    o.tell(killReceiptText(receipt(), kernel.portfolio.quoteAsset, { flatten: k.flatten }));
    if (inTime) return;
    await work;
    if (!o.signal?.aborted) o.tell(killReceiptText(receipt(), kernel.portfolio.quoteAsset, { flatten: k.flatten, update: true }));
  }
}
