/**
 * A binary min-heap over the indices 0..n-1 keyed by a number each (a next event time), ties going to the lower index
 * so merges are deterministic. Keys live in a Float64Array, so reordering allocates nothing.
 */
export class IndexHeap {
  private readonly keys: Float64Array;
  private readonly heap: Int32Array;
  private count = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.heap = new Int32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(index: number, key: number): void {
    this.keys[index] = key;
    this.heap[this.count] = index;
    this.siftUp(this.count++);
  }

  /** The index with the smallest key; only valid while size > 0. */
  top(): number {
    return this.heap[0] as number;
  }

  topKey(): number {
    return this.keys[this.heap[0] as number] as number;
  }

  /** Gives the top index a new (usually later) key and restores the order. */
  updateTop(key: number): void {
    this.keys[this.heap[0] as number] = key;
    this.siftDown(0);
  }

  popTop(): void {
    this.count--;
    if (this.count > 0) {
      this.heap[0] = this.heap[this.count] as number;
      this.siftDown(0);
    }
  }

  private less(a: number, b: number): boolean {
    const ka = this.keys[a] as number;
    const kb = this.keys[b] as number;
    return ka < kb || (ka === kb && a < b);
  }

  private siftUp(at: number): void {
    const h = this.heap;
    const item = h[at] as number;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const p = h[parent] as number;
      if (!this.less(item, p)) break;
      h[at] = p;
      at = parent;
    }
    h[at] = item;
  }

  private siftDown(at: number): void {
    const h = this.heap;
    const n = this.count;
    const item = h[at] as number;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && this.less(h[right] as number, h[child] as number)) child = right;
      const c = h[child] as number;
      if (!this.less(c, item)) break;
      h[at] = c;
      at = child;
    }
    h[at] = item;
  }
}
