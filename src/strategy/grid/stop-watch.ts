import type { Fixed } from '../../domain/index.js';
import type { GridState } from './grid-state.js';

const NO_STOP_LOSS: Fixed = -1n;
const NO_TAKE_PROFIT: Fixed = 1n << 200n;

interface SymbolWatch {
  readonly grids: GridState[];
  /** The highest stop-loss and lowest take-profit among the grids, so a quiet tick costs two comparisons. */
  maxStopLoss: Fixed;
  minTakeProfit: Fixed;
}

/** The grids with a stop-loss or take-profit, by symbol; symbols without one cost a single Map lookup per tick. */
export class StopWatch {
  private readonly bySymbol = new Map<string, SymbolWatch>();

  add(grid: GridState): void {
    if (grid.params.stopLoss === undefined && grid.params.takeProfit === undefined) return;
    let w = this.bySymbol.get(grid.symbol);
    if (!w) {
      w = { grids: [], maxStopLoss: NO_STOP_LOSS, minTakeProfit: NO_TAKE_PROFIT };
      this.bySymbol.set(grid.symbol, w);
    }
    w.grids.push(grid);
    this.refresh(w);
  }

  remove(grid: GridState): void {
    const w = this.bySymbol.get(grid.symbol);
    if (!w) return;
    const at = w.grids.indexOf(grid);
    if (at < 0) return;
    w.grids.splice(at, 1);
    if (w.grids.length === 0) this.bySymbol.delete(grid.symbol);
    else this.refresh(w);
  }

  /** The grids this trade price stops, with the reason; undefined (no allocation) when none. */
  triggered(symbol: string, price: Fixed): Array<[GridState, 'stop_loss' | 'take_profit']> | undefined {
    // Most grids run without sl/tp: then every tick is one size check, not a Map lookup.
    if (this.bySymbol.size === 0) return undefined;
    const w = this.bySymbol.get(symbol);
    if (w === undefined || (price > w.maxStopLoss && price < w.minTakeProfit)) return undefined;
    const out: Array<[GridState, 'stop_loss' | 'take_profit']> = [];
    for (const g of w.grids) {
      const { stopLoss, takeProfit } = g.params;
      if (stopLoss !== undefined && price <= stopLoss) out.push([g, 'stop_loss']);
      else if (takeProfit !== undefined && price >= takeProfit) out.push([g, 'take_profit']);
    }
    return out;
  }

  private refresh(w: SymbolWatch): void {
    w.maxStopLoss = NO_STOP_LOSS;
    w.minTakeProfit = NO_TAKE_PROFIT;
    for (const g of w.grids) {
      const { stopLoss, takeProfit } = g.params;
      if (stopLoss !== undefined && stopLoss > w.maxStopLoss) w.maxStopLoss = stopLoss;
      if (takeProfit !== undefined && takeProfit < w.minTakeProfit) w.minTakeProfit = takeProfit;
    }
  }
}
