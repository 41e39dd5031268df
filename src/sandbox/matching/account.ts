import { type Balance, type Fixed, ZERO } from '../../domain/index.js';
import { BalanceEntry } from './reports.js';

interface Holding {
  free: Fixed;
  locked: Fixed;
}

/** One account's balances per asset; every method keeps free and locked non-negative or refuses. */
export class Account {
  private readonly holdings = new Map<string, Holding>();

  constructor(balances: Iterable<Balance> = []) {
    for (const b of balances) this.holdings.set(b.asset, { free: b.free, locked: b.locked });
  }

  free(asset: string): Fixed {
    return this.holdings.get(asset)?.free ?? ZERO;
  }

  locked(asset: string): Fixed {
    return this.holdings.get(asset)?.locked ?? ZERO;
  }

  /** Moves `amount` from free to locked; false (and nothing changes) when free is short. */
  lock(asset: string, amount: Fixed): boolean {
    const h = this.holding(asset);
    if (h.free < amount) return false;
    h.free -= amount;
    h.locked += amount;
    return true;
  }

  unlock(asset: string, amount: Fixed): void {
    const h = this.holding(asset);
    this.ensure(h.locked >= amount, asset, 'unlock');
    h.locked -= amount;
    h.free += amount;
  }

  /** Pays out of the locked part (a resting order's fill). */
  spendLocked(asset: string, amount: Fixed): void {
    const h = this.holding(asset);
    this.ensure(h.locked >= amount, asset, 'spendLocked');
    h.locked -= amount;
  }

  /** Pays out of the free part (a taker fill, which never locked). */
  spendFree(asset: string, amount: Fixed): void {
    const h = this.holding(asset);
    this.ensure(h.free >= amount, asset, 'spendFree');
    h.free -= amount;
  }

  credit(asset: string, amount: Fixed): void {
    this.holding(asset).free += amount;
  }

  /** One asset as it stands now (an outboundAccountPosition entry). */
  balanceOf(asset: string): Balance {
    const h = this.holdings.get(asset);
    return new BalanceEntry(asset, h === undefined ? ZERO : h.free, h === undefined ? ZERO : h.locked);
  }

  /** Every asset the account has ever held, in first-seen order. */
  all(): Balance[] {
    const out: Balance[] = [];
    for (const [asset, h] of this.holdings) out.push({ asset, free: h.free, locked: h.locked });
    return out;
  }

  private holding(asset: string): Holding {
    let h = this.holdings.get(asset);
    if (!h) {
      h = { free: ZERO, locked: ZERO };
      this.holdings.set(asset, h);
    }
    return h;
  }

  /** The engine checks funds before it moves them, so a shortfall here is a bug, not a rejection. */
  private ensure(cond: boolean, asset: string, op: string): void {
    if (!cond) throw new Error(`account invariant broken: ${op} ${asset} would go negative`);
  }
}
