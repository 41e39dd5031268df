import type { Fixed } from '../../domain/index.js';
import type { GridState } from './grid-state.js';

/**
 * The grids waiting for their trigger price (`at=PRICE`), by symbol; with none waiting a tick costs one size check.
 * A trigger fires when a trade reaches it from the side the market was on at the preview (at or through it: a gap
 * across the price counts), so a grid never starts on the side it was asked to wait for.
 */
export class TriggerWatch {
  private readonly bySymbol = new Map<string, GridState[]>();

  add(grid: GridState): void {
    if (grid.waiting === undefined) return;
    const list = this.bySymbol.get(grid.symbol);
    if (list) list.push(grid);
    else this.bySymbol.set(grid.symbol, [grid]);
  }

  /**
   * The grids whose trigger this trade price reaches, taken off the watch; grids no longer waiting (stopped meanwhile)
   * leave it too. Undefined (no allocation) when none fire.
   */
  crossed(symbol: string, price: Fixed): GridState[] | undefined {
    if (this.bySymbol.size === 0) return undefined;
    const list = this.bySymbol.get(symbol);
    if (list === undefined) return undefined;
    let fired: GridState[] | undefined;
    const keep: GridState[] = [];
    for (const grid of list) {
      const w = grid.waiting;
      if (w === undefined || grid.status !== 'waiting') continue;
      if (w.from === 'below' ? price >= w.trigger : price <= w.trigger) (fired ??= []).push(grid);
      else keep.push(grid);
    }
    if (keep.length === 0) this.bySymbol.delete(symbol);
    else if (keep.length !== list.length) this.bySymbol.set(symbol, keep);
    return fired;
  }
}
