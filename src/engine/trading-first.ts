/** How long off-path work may wait behind orders that keep coming, at most (a chat line's budget is a second). */
const MAX_WAIT_MS = 20;

/**
 * Puts the trading path first. Work off it (formatting a chat line, writing an audit entry) is run on a later turn of
 * the event loop, and while an order is on its way (from the dispatch that placed it until the exchange answered) it
 * waits: a re-arm's state write and its request never queue behind what the owner reads. When orders keep coming, the
 * waiting work runs at most `maxWaitMs` late; it always runs in the order it was handed in.
 */
export class TradingFirst {
  private held = 0;
  private due: Array<() => void> = [];
  private turnQueued = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly maxWaitMs = MAX_WAIT_MS) {}

  /** Holds off-path work back until the returned release is called (the first call counts; later ones do nothing). */
  hold(): () => void {
    this.held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held--;
      if (this.held === 0 && this.due.length > 0) this.nextTurn();
    };
  }

  /** Runs `work` on a later turn, once nothing is held or `maxWaitMs` after it waited. */
  later(work: () => void): void {
    if (this.due.push(work) === 1) this.nextTurn();
  }

  private nextTurn(): void {
    if (this.turnQueued) return;
    this.turnQueued = true;
    setImmediate(this.onTurn);
  }

  private readonly onTurn = (): void => {
    this.turnQueued = false;
    if (this.held === 0) this.runDue();
    else this.timer ??= setTimeout(this.runDue, this.maxWaitMs);
  };

  private readonly runDue = (): void => {
    clearTimeout(this.timer);
    this.timer = undefined;
    const due = this.due;
    this.due = [];
    for (const work of due) work();
  };
}

/** Off-path work on the next turn, with nothing to put first (a kernel without an order pipeline, tests). */
export const NEXT_TURN: Pick<TradingFirst, 'later'> = { later: (work) => void setImmediate(work) };
