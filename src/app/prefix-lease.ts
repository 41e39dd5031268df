import { type Result, ok } from '../domain/index.js';
import { PrefixLease, type PrefixLeaseOptions } from './prefix-lease-claim.js';

/**
 * A bot owns its KEY_PREFIX (issue 9; the whole story is at the top of prefix-lease-claim.ts). This is the module the
 * app and the tests import: `onOwnedPrefix` runs the app on a prefix it holds, and the rest is re-exported from where it
 * lives — the lease itself (prefix-lease-claim.ts: take, renew, give back) and the owner's records as Redis has them
 * (prefix-owner.ts: read by a refused bot and by `telegrid worker`).
 */
export { PrefixLease, type PrefixLeaseOptions, prefixLeaseOptions } from './prefix-lease-claim.js';
export {
  type LeaseHolder,
  type PrefixFingerprint,
  type PrefixOwner,
  accountId,
  fingerprintKey,
  fingerprintMismatch,
  leaseKey,
  readOwner,
  redisWhere,
} from './prefix-owner.js';

/** The reason `closed` gives when the bot stopped because another process took its prefix (the CLI exits 3). */
export const PREFIX_LOST = 'prefix lost';

/** What the lease needs of the running app to stop it (the TradingApp, seen structurally: trading-app imports this file). */
export interface LeasedApp {
  readonly kernel: { readonly venueReports: { hold(): void }; readonly reconciler: { suspend(): void } };
  readonly front: { say(text: string, kind?: 'error'): void };
  readonly closed: Promise<string>;
  shutdown(): Promise<void>;
}

/**
 * Runs `start` on a prefix this bot owns: takes the lease first (or returns the refusal naming the holder), gives it
 * back if the start fails and after the app's shutdown. If the lease is lost while the bot runs (another process took
 * the prefix after it lapsed), the bot stops placing at once, without writing under the prefix again where it can
 * help it: execution reports are held (no fill is booked, so no grid re-arms into the queue the new owner's workers
 * serve), the reconciler stops asking, the owner is told, and the app shuts down; `closed` then resolves PREFIX_LOST
 * (the CLI exits 3). The trading state is deliberately not set to HALTED: that would be written to the new owner's
 * `<prefix>:trading:state` and halt it.
 */
export async function onOwnedPrefix<A extends LeasedApp>(
  options: PrefixLeaseOptions,
  start: (lease: PrefixLease) => Promise<Result<A>>,
): Promise<Result<A>> {
  const leased = await PrefixLease.acquire(options);
  if (!leased.ok) return leased;
  const lease = leased.value;
  let started: Result<A>;
  try {
    started = await start(lease);
  } catch (error) {
    await lease.release();
    throw error;
  }
  if (!started.ok) {
    await lease.release();
    return started;
  }
  const app = started.value;
  let shut: Promise<void> | undefined;
  const shutdown = (): Promise<void> =>
    (shut ??= (async () => {
      await lease.stopping();
      await app.shutdown();
    })().finally(() => lease.release()));
  lease.onLost((_owner, text) => {
    app.kernel.venueReports.hold();
    app.kernel.reconciler.suspend();
    app.front.say(`⛔ ${text}`, 'error');
    void shutdown();
  });
  return ok({ ...app, shutdown, closed: app.closed.then((reason) => (lease.lost ? PREFIX_LOST : reason)) });
}
