import type { TradeTick } from '../../domain/index.js';
import { IndexHeap } from './index-heap.js';
import type { TapeSource } from './tape-source.js';

/**
 * Interleaves several tapes into one in time order; equal times go to the earlier source, so the merge is
 * deterministic. Each source must itself be in time order. Ends when every source has ended.
 */
export function mergeTapes(...sources: readonly TapeSource[]): TapeSource {
  const heads: Array<TradeTick | undefined> = sources.map((s) => s.next());
  const heap = new IndexHeap(sources.length);
  heads.forEach((t, i) => {
    if (t) heap.push(i, t.time);
  });
  const symbols = [...new Set(sources.flatMap((s) => s.symbols))];
  return {
    symbols,
    next(): TradeTick | undefined {
      if (heap.size === 0) return undefined;
      const i = heap.top();
      const out = heads[i];
      const following = (sources[i] as TapeSource).next();
      heads[i] = following;
      if (following) heap.updateTop(following.time);
      else heap.popTop();
      return out;
    },
  };
}
