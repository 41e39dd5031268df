import type { Reply, ReplyFollowUp } from './registry.js';

/**
 * A ReplyFollowUp fed by the work it follows: `show` a newer progress line (the latest is kept for a listener that comes
 * after it), and `done` the final reply.
 */
export class ProgressFollowUp implements ReplyFollowUp {
  readonly done: Promise<Reply | undefined>;
  private latest: string;
  /** The line the reply itself carries: a listener is not told it again (Telegram refuses an edit that changes nothing). */
  private sent: string | undefined;
  private listener: ((text: string) => void) | undefined;

  constructor(first: string, done: Promise<Reply | undefined>) {
    this.latest = first;
    this.done = done;
  }

  /** The latest line, as the reply's own text. */
  text(): string {
    this.sent = this.latest;
    return this.latest;
  }

  show(text: string): void {
    if (text === this.latest) return;
    this.latest = text;
    this.listener?.(text);
  }

  onProgress(listener: (text: string) => void): void {
    this.listener = listener;
    if (this.latest !== this.sent) listener(this.latest);
  }
}
