import type { Redis } from 'ioredis';
import type { z } from 'zod';
import {
  type Message,
  type OrderFilled,
  REDIS_KEYS,
  type Result,
  encodeJson,
  failure,
  gridIdOf,
  ok,
  redisKeyGlob,
} from '../domain/index.js';
import type { Component, ComponentContext, SequentialIds } from '../engine/index.js';
import type { OrderTracker, Ride, TrackedOrderSnapshot, TxReplies } from '../execution/index.js';
import type { FuturesBook, FuturesBookState, Portfolio, PortfolioState } from '../portfolio/index.js';
import type { RiskGate, TradingStateMachine, TradingStateSnapshot } from '../risk/index.js';
import type { GridSnapshot, GridStrategy } from '../strategy/index.js';
import { futuresBookState, gridSnapshot, idCounters, portfolioState, trackedOrderSnapshot, tradingStateSnapshot } from './schemas/index.js';
import { type StateKind, type StateProblem, parseStored, stateRefusal } from './state-reader.js';
import { StateWrite } from './write-state-script.js';

/** A reply as a rider hears it: its error, or its value. */
const settled = (reply: Promise<unknown>): Promise<readonly [Error | null, unknown]> =>
  reply.then(
    (value) => [null, value] as const,
    (error: unknown) => [error instanceof Error ? error : new Error(String(error)), undefined] as const,
  );

/** Bump when a stored shape changes, and teach `load` to migrate the previous one. */
export const STATE_VERSION = 1;
/** How long the fill journal keeps fills (on the bot's clock) and how many at most: the settings' defaults. */
export interface FillJournalRetention {
  readonly maxAgeMs: number;
  readonly maxCount: number;
}
const FILL_JOURNAL_RETENTION: FillJournalRetention = { maxAgeMs: 30 * 86_400_000, maxCount: 100_000 };

/** Fills dropped by age in one write at most, so a journal long past its age is cut over a few writes, not in one. */
const AGE_TRIM_BATCH = 1_000;
/**
 * How often (on the bot's clock) a write trims the journal by age: a journal kept for days may hold a fill a minute
 * past its age, and the script (its text and a LINDEX) stays off the writes between, which are the fills' own.
 */
const AGE_TRIM_EVERY_MS = 60_000;

/** The state's keys, each a family of the one key table (domain/redis-keys.ts). */
const STATE_KEYS = {
  version: REDIS_KEYS.stateVersion,
  orders: REDIS_KEYS.stateOrders,
  grids: REDIS_KEYS.stateGrids,
  portfolio: REDIS_KEYS.statePortfolio,
  futures: REDIS_KEYS.stateFutures,
  ids: REDIS_KEYS.stateIds,
  trading: REDIS_KEYS.stateTrading,
  fills: REDIS_KEYS.stateFills,
} as const;
type StateKey = keyof typeof STATE_KEYS;
/** Each state key's place in a write's KEYS (from 1, as Lua counts). */
const KEY_INDEX = Object.fromEntries(Object.keys(STATE_KEYS).map((name, i) => [name, i + 1])) as Record<StateKey, number>;

/** The components whose state outlives the process. */
interface StatefulParts {
  readonly tracker: OrderTracker;
  readonly grids: GridStrategy;
  readonly portfolio: Portfolio;
  /** Absent in a store that keeps no USD-M book (older tests, tools). */
  readonly futuresBook?: FuturesBook;
  readonly ids: SequentialIds;
  readonly tradingState: TradingStateMachine;
  readonly risk: RiskGate;
}

/** What a previous run left in Redis, every document checked against its schema (`./schemas`). */
export interface StoredState {
  readonly orders: readonly TrackedOrderSnapshot[];
  readonly grids: readonly GridSnapshot[];
  readonly portfolio?: PortfolioState;
  readonly futures?: FuturesBookState;
  readonly ids?: ReturnType<SequentialIds['exportState']>;
  readonly trading?: TradingStateSnapshot;
}

export interface BotStateStoreOptions {
  readonly redis: Redis;
  readonly prefix: string;
  readonly parts: StatefulParts;
  readonly log: { warn(obj: object, msg: string): void };
  /** FILLS_KEEP_DAYS and FILLS_KEEP_MAX; by default their defaults. */
  readonly fills?: FillJournalRetention;
}

/**
 * The bot's state in Redis under `<prefix>:state:*`: one hash field per order and per grid, one document each for the
 * portfolio, the id counters and the trading state, and a capped journal of fills. After every bus dispatch that changed
 * something, the changed entities are written by one atomic script (`write-state-script.ts`); the order pipeline waits
 * for that write before it enqueues or sends, so Redis knows every order before the exchange can.
 */
export class BotStateStore implements Component {
  readonly name = 'state-store';
  private readonly key: (name: StateKey) => string;
  /** Every state key, in KEY_INDEX order: each write's KEYS. */
  private readonly keyList: readonly string[];
  /** Every state key, as a SCAN pattern, for the refusals that tell the owner what to move aside. */
  private readonly keys: string;
  private dirtyOrders = new Set<string>();
  private dirtyGrids = new Set<string>();
  private dirtyDocs = new Set<'portfolio' | 'futures' | 'ids' | 'trading'>();
  private fills: OrderFilled[] = [];
  /** Commands waiting to ride on the next write, with who waits for their replies (`commitWith`). */
  private riders: Array<{ ride: Ride; resolve: (replies: TxReplies | undefined) => void }> = [];
  private scheduled = false;
  /**
   * The last write sent. Writes are not chained: each goes out as soon as its dispatch is done, behind the ones still
   * on the wire (one connection, so Redis applies them in order and the last answer comes last).
   */
  private lastWrite: Promise<void> = Promise.resolve();
  private readonly fillRetention: FillJournalRetention;
  /** The bot's clock once attached: the fill journal ages on it. */
  private now: (() => number) | undefined;
  /** When (bot clock) the next write trims the fill journal by age. */
  private nextAgeTrim = Number.NEGATIVE_INFINITY;

  constructor(private readonly o: BotStateStoreOptions) {
    this.key = (name) => STATE_KEYS[name].key(o.prefix);
    this.keyList = (Object.keys(STATE_KEYS) as StateKey[]).map(this.key);
    this.keys = redisKeyGlob(o.prefix, 'state');
    this.fillRetention = o.fills ?? FILL_JOURNAL_RETENTION;
  }

  attach(ctx: ComponentContext): void {
    const bus = ctx.bus;
    this.now = () => ctx.clock.now();
    const order = (id: string) => {
      this.dirtyOrders.add(id);
      const grid = gridIdOf(id);
      if (grid !== undefined) this.dirtyGrids.add(grid);
      this.schedule();
    };
    const grid = (m: Extract<Message, { gridId: string }>) => {
      this.dirtyGrids.add(m.gridId);
      this.dirtyDocs.add('ids');
      this.schedule();
    };
    const doc = (name: 'portfolio' | 'futures' | 'trading') => () => {
      this.dirtyDocs.add(name);
      this.schedule();
    };
    bus.on('OrderSent', (m) => {
      // A manual order's id comes from the shared counters (a grid's from its own state): saved with the order, or a
      // restart right after a flattening /kill could hand out tg_F1_S again.
      if (m.owner.kind === 'manual') this.dirtyDocs.add('ids');
      order(m.clientOrderId);
    });
    bus.on('OrderReported', (m) => order(m.report.clientOrderId));
    bus.on('OrderSubmissionFailed', (m) => order(m.clientOrderId));
    bus.on('OrderDenied', (m) => order(m.intent.clientOrderId));
    bus.on('OrderFilled', (m) => {
      this.fills.push(m);
      this.dirtyDocs.add('portfolio');
      this.schedule();
    });
    // A grid's start and stop open and close its books in the portfolio as well.
    const gridAndBooks = (m: Extract<Message, { gridId: string }>) => {
      this.dirtyDocs.add('portfolio');
      grid(m);
    };
    bus.on('GridStarted', gridAndBooks);
    bus.on('GridStopped', gridAndBooks);
    bus.on('GridRoundTrip', grid);
    bus.on('BalancesReported', doc('portfolio'));
    bus.on('TradingStateChanged', doc('trading'));
    // The futures book changes its figures on these (a mark tick moves nothing that is saved).
    bus.on('FuturesPositionChanged', doc('futures'));
    bus.on('FundingSettled', doc('futures'));
    bus.on('FuturesAccountReported', doc('futures'));
  }

  async stop(): Promise<void> {
    await this.commit();
  }

  /**
   * Reads what a previous run stored; `undefined` when there is nothing (a first start). Every document is checked here,
   * at the boundary, against the schema of its kind: a damaged one is refused (STATE_CORRUPT, naming the key, the hash
   * field, what is wrong and what to do) before anything is restored, so nothing trades on it.
   */
  async load(): Promise<Result<StoredState | undefined>> {
    const r = this.o.redis;
    const [version, orders, grids, portfolio, futures, ids, trading] = await Promise.all([
      r.get(this.key('version')),
      r.hgetall(this.key('orders')),
      r.hgetall(this.key('grids')),
      r.get(this.key('portfolio')),
      r.get(this.key('futures')),
      r.get(this.key('ids')),
      r.get(this.key('trading')),
    ]);
    if (version === null) return ok(undefined);
    if (version !== String(STATE_VERSION)) {
      return failure(
        'STATE_VERSION',
        `the state under ${this.keys} is version ${version} (Redis key ${this.key('version')}); ` +
          `this release reads version ${STATE_VERSION}. Upgrade telegrid, or move the keys aside to start afresh.`,
      );
    }
    const problems: StateProblem[] = [];
    const read = <S extends z.ZodType>(kind: StateKind, schema: S, text: string | null, field?: string): z.output<S> | undefined => {
      if (text === null) return undefined;
      const doc = parseStored(schema, text);
      if (doc.ok) return doc.value;
      problems.push({ kind, key: this.key(kind), ...(field === undefined ? {} : { field }), what: doc.error.message });
      return undefined;
    };
    // A hash field is the entity's id; one filed under another id would be written back under its own and linger.
    const each = <T>(kind: 'orders' | 'grids', schema: z.ZodType<T>, hash: Record<string, string>, idOf: (doc: T) => string): T[] => {
      const out: T[] = [];
      // In field order: HGETALL's order is Redis's encoding's, and restored ids must come back in the same order everywhere.
      for (const [field, text] of Object.entries(hash).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const doc = read(kind, schema, text, field);
        if (doc === undefined) continue;
        if (idOf(doc) === field) out.push(doc);
        else
          problems.push({
            kind,
            key: this.key(kind),
            field,
            what: `holds ${kind === 'orders' ? 'order' : 'grid'} ${idOf(doc)}, which belongs under its own id`,
          });
      }
      return out;
    };
    const state: StoredState = {
      orders: each('orders', trackedOrderSnapshot, orders, (o) => o.record.intent.clientOrderId),
      grids: each('grids', gridSnapshot, grids, (g) => g.gridId),
      portfolio: read('portfolio', portfolioState, portfolio),
      futures: read('futures', futuresBookState, futures),
      ids: read('ids', idCounters, ids),
      trading: read('trading', tradingStateSnapshot, trading),
    };
    return problems.length === 0 ? ok(state) : this.refuse(problems);
  }

  /**
   * Puts a loaded state into fresh components, before the engine starts; nothing is published. What no schema can judge
   * (a grid's symbol and ladder against the exchange's filters) is refused the same way as a damaged document, and
   * nothing here throws. Grids go first, as the one import left that can refuse; after a refusal the parts hold part of
   * the state and must be thrown away (the app does not start).
   */
  restore(state: StoredState): Result<void> {
    const p = this.o.parts;
    const problems: StateProblem[] = [];
    const attempt = (kind: StateKind, field: string | undefined, put: () => void): void => {
      try {
        put();
      } catch (error) {
        const what = `cannot be restored: ${error instanceof Error ? error.message : String(error)}`;
        problems.push({ kind, key: this.key(kind), ...(field === undefined ? {} : { field }), what, atRestore: true });
      }
    };
    for (const g of state.grids) attempt('grids', g.gridId, () => p.grids.importGrids([g]));
    if (problems.length > 0) return this.refuse(problems);
    const { ids, trading, portfolio } = state;
    if (ids) attempt('ids', undefined, () => p.ids.importState(ids));
    if (trading) attempt('trading', undefined, () => p.tradingState.importState(trading));
    if (portfolio) attempt('portfolio', undefined, () => p.portfolio.importState(portfolio));
    const futures = state.futures;
    const book = p.futuresBook;
    if (futures && book) attempt('futures', undefined, () => book.importState(futures));
    // The risk gate counts the restored open orders itself when the host starts (it reads the tracker).
    attempt('orders', undefined, () => p.tracker.importOrders(state.orders));
    return problems.length === 0 ? ok(undefined) : this.refuse(problems);
  }

  private refuse(problems: readonly StateProblem[]) {
    return stateRefusal(problems, this.keys, this.o.redis.options.db ?? 0);
  }

  /** Marks everything for the next write: after a first start, and after Redis came back (it may have lost it all). */
  markAll(): void {
    const p = this.o.parts;
    for (const id of p.tracker.orderIds()) this.dirtyOrders.add(id);
    for (const id of p.grids.gridIds()) this.dirtyGrids.add(id);
    this.dirtyDocs.add('portfolio').add('futures').add('ids').add('trading');
  }

  /** Resolves once everything changed so far is in Redis (waits through a Redis outage rather than dropping it). */
  commit(): Promise<void> {
    const sent = this.write();
    if (sent !== undefined) this.lastWrite = sent;
    return this.lastWrite;
  }

  /**
   * Rides `ride`'s commands on the next write of the state, sent right behind it on the same connection: the order
   * pipeline's fast lane asks for its rate budget there, so Redis has the state before it grants, and both answers come
   * in one round trip. The write the dispatch scheduled takes it when it is built (a write already on the wire leaves it
   * to the next). `ride` sends its commands and returns their replies; resolves with them once the state is in, or
   * undefined when it did not go in (Redis away: the state stays marked and is written again).
   */
  commitWith(ride: Ride): Promise<TxReplies | undefined> {
    return new Promise((resolve) => {
      this.riders.push({ ride, resolve });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // After the dispatch that changed things has run to completion, so one write covers it all.
    queueMicrotask(() => {
      this.scheduled = false;
      void this.commit();
    });
  }

  /** Sends one write with everything changed so far, and the riders behind it; undefined when there is nothing to write. */
  private write(): Promise<void> | undefined {
    const riders = this.riders;
    const dirty = this.dirtyOrders.size > 0 || this.dirtyGrids.size > 0 || this.dirtyDocs.size > 0 || this.fills.length > 0;
    if (!dirty && riders.length === 0) return undefined;
    this.riders = [];
    const orders = this.dirtyOrders;
    const grids = this.dirtyGrids;
    const docs = this.dirtyDocs;
    const fills = this.fills;
    this.dirtyOrders = new Set();
    this.dirtyGrids = new Set();
    this.dirtyDocs = new Set();
    this.fills = [];
    const p = this.o.parts;
    const k = KEY_INDEX;
    const tx = new StateWrite(this.keyList);
    tx.set(k.version, String(STATE_VERSION));
    // Orders the tracker no longer retains leave Redis too, or the hash (and every start's read of it) grows forever.
    for (const id of p.tracker.takeForgotten()) tx.hdel(k.orders, id);
    for (const id of orders) {
      const snap = p.tracker.exportOrder(id);
      if (snap === undefined) tx.hdel(k.orders, id);
      else tx.hset(k.orders, id, encodeJson(snap));
    }
    for (const id of grids) {
      const snap = p.grids.exportGrid(id);
      if (snap !== undefined) tx.hset(k.grids, id, encodeJson(snap));
    }
    if (docs.has('portfolio')) tx.set(k.portfolio, encodeJson(p.portfolio.exportState()));
    if (docs.has('futures') && p.futuresBook) tx.set(k.futures, encodeJson(p.futuresBook.exportState()));
    if (docs.has('ids')) tx.set(k.ids, encodeJson(p.ids.exportState()));
    if (docs.has('trading')) tx.set(k.trading, encodeJson(p.tradingState.exportState()));
    if (fills.length > 0) {
      for (const f of fills) tx.rpush(k.fills, encodeJson(f));
      tx.ltrim(k.fills, -this.fillRetention.maxCount, -1);
    }
    // By age on writes without a fill too (once a minute at most): a journal stays within its days while the grid is quiet.
    const now = this.now?.();
    if (now !== undefined && now >= this.nextAgeTrim) {
      this.nextAgeTrim = now + AGE_TRIM_EVERY_MS;
      tx.dropOlder(k.fills, now - this.fillRetention.maxAgeMs, AGE_TRIM_BATCH);
    }
    const redis = this.o.redis;
    const saved = tx.send(redis);
    // The riders' commands go right behind it on the same connection, so Redis runs them after the state is in.
    const rides = riders.map((r) => r.ride(redis).map(settled));
    return saved.then(
      async () => {
        for (const [i, rider] of riders.entries()) rider.resolve(await Promise.all(rides[i] ?? []));
      },
      async (error: unknown) => {
        // Put it all back: the next write (or the full one after Redis returns) carries it.
        for (const id of orders) this.dirtyOrders.add(id);
        for (const id of grids) this.dirtyGrids.add(id);
        for (const d of docs) this.dirtyDocs.add(d);
        this.fills.unshift(...fills);
        this.o.log.warn({ err: error }, 'state could not be saved to Redis; it is kept and written again');
        // What rode on it is not to be acted on (a grant without its state): heard out, then answered as not saved.
        await Promise.all(rides.flat());
        for (const rider of riders) rider.resolve(undefined);
      },
    );
  }

  /** Deletes every state key (tests; starting afresh). */
  async clear(): Promise<void> {
    await this.o.redis.del(...(Object.keys(STATE_KEYS) as StateKey[]).map(this.key));
  }
}
