import { type Result, failure, ok } from '../../../domain/index.js';
import { SandboxHub, type SandboxHubOptions } from '../sandbox-hub.js';
import { AccountStore, type AccountStoreOptions } from './account-store.js';

/** Saves a hub's account after its venue events, at most once per interval, and once more on close. */
interface HubPersistence {
  /** Saves now if anything changed since the last save (tests call this instead of waiting). */
  flush(): Promise<void>;
  /** Final save, then the Redis connection is closed; the hub keeps working in memory. */
  close(): Promise<void>;
}

interface PersistenceOptions {
  /** Minimum gap between saves; default 250 ms. */
  readonly intervalMs?: number;
  /** Told once per run of failed saves (e.g. Redis went away), and again only after a save succeeded. */
  readonly onError?: (message: string) => void;
}

/** Wires a hub to a store: venue events mark the account dirty and a timer coalesces them into one save. */
function persistHub(hub: SandboxHub, store: AccountStore, options: PersistenceOptions = {}): HubPersistence {
  const intervalMs = options.intervalMs ?? 250;
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let failing = false;
  let closed: Promise<void> | undefined;

  const saveNow = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty) return chain;
    dirty = false;
    // Snapshot synchronously, so the document is the account as of this moment; saves run one after another.
    const snap = hub.snapshot();
    chain = chain.then(async () => {
      const saved = await store.save(snap, hub.now());
      if (saved.ok) failing = false;
      else {
        // Try again on a timer even if no event comes: the last fills must not wait for the next trade to be kept.
        dirty = true;
        if (!failing) options.onError?.(saved.error.message);
        failing = true;
        schedule();
      }
    });
    return chain;
  };

  const schedule = (): void => {
    if (timer === undefined && closed === undefined) {
      timer = setTimeout(() => void saveNow(), intervalMs);
      timer.unref();
    }
  };

  const changed = (): void => {
    dirty = true;
    schedule();
  };
  const detachSpot = hub.onVenueEvent(changed);
  // Futures events (fills, funding, liquidations) and commands that announce nothing (margin type, countdown).
  const detachFutures = hub.onFuturesEvent(changed);
  const detachCommands = hub.onFuturesChange(changed);
  const detach = (): void => {
    detachSpot();
    detachFutures();
    detachCommands();
  };

  return {
    flush: saveNow,
    close: () =>
      (closed ??= (async () => {
        detach();
        await saveNow();
        await store.close();
      })()),
  };
}

export interface PersistentHubOptions extends PersistenceOptions {
  readonly hub: SandboxHubOptions;
  readonly store: AccountStoreOptions;
  /** Start from the options' balances and overwrite whatever is stored. */
  readonly reset?: boolean;
}

/** A hub and its persistence; `warning` says why it runs in memory only (to show the owner once). */
export interface PersistentHub {
  readonly hub: SandboxHub;
  readonly persistence?: HubPersistence;
  readonly warning?: string;
  /** Whether the account was continued from the store (false: fresh from the starting balances). */
  readonly restored: boolean;
}

/**
 * Opens the store and continues the stored account (or starts fresh and saves at once). An unreachable Redis leaves
 * the hub in memory with a warning; a damaged or unknown-version document is refused rather than overwritten.
 */
export async function openPersistentHub(options: PersistentHubOptions): Promise<Result<PersistentHub>> {
  const store = await AccountStore.connect(options.store);
  if (!store.ok) {
    return ok({
      hub: new SandboxHub(options.hub),
      restored: false,
      warning: `⚠️ ${store.error.message}: the paper account lives in memory only and will be lost when telegrid stops.`,
    });
  }
  const fresh = async (): Promise<Result<PersistentHub>> => {
    const hub = new SandboxHub(options.hub);
    const persistence = persistHub(hub, store.value, options);
    const saved = await store.value.save(hub.snapshot(), hub.now());
    if (!saved.ok) {
      await persistence.close();
      return saved;
    }
    return ok({ hub, persistence, restored: false });
  };
  if (options.reset) return fresh();

  const loaded = await store.value.load();
  if (!loaded.ok) {
    await store.value.close();
    return failure(
      loaded.error.code,
      `${loaded.error.message}. Set PAPER_RESET=true to start a fresh paper account (this deletes the stored one).`,
    );
  }
  if (loaded.value === undefined) return fresh();
  const hub = SandboxHub.fromSnapshot(options.hub, loaded.value);
  if (!hub.ok) {
    await store.value.close();
    return failure(
      'ACCOUNT_CORRUPT',
      `the stored paper account (Redis key ${store.value.key}) cannot be restored: ${hub.error.message}. ` +
        'Set PAPER_RESET=true to start a fresh one.',
    );
  }
  return ok({ hub: hub.value, persistence: persistHub(hub.value, store.value, options), restored: true });
}
