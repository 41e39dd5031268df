/**
 * The getUpdates answer an update came in. A command is aged by when it reached the bot, not by when the bot got to
 * it, so a command that waited behind a slow one is never skipped for the bot's own slowness; and the commands a
 * batch skipped are told once per chat as soon as every update of the batch has been looked at.
 */
export class Batch {
  private left: number;
  private readonly skipped = new Map<number, string[]>();

  constructor(
    readonly at: number,
    size: number,
  ) {
    this.left = size;
  }

  skip(chatId: number, text: string): void {
    this.skipped.set(chatId, [...(this.skipped.get(chatId) ?? []), text]);
  }

  /** One of its updates was looked at; after the last, the commands skipped in each chat (or nothing when none were). */
  examined(): ReadonlyMap<number, readonly string[]> | undefined {
    this.left -= 1;
    return this.left === 0 && this.skipped.size > 0 ? this.skipped : undefined;
  }
}

export class Arrivals {
  private readonly batches = new Map<number, Batch>();

  note(updates: readonly { readonly update_id: number }[], now: number): void {
    const batch = new Batch(now, updates.length);
    for (const u of updates) this.batches.set(u.update_id, batch);
    // Updates fetched just before a stop are never handled; keep the map from growing on them.
    while (this.batches.size > 1_000) this.batches.delete(this.batches.keys().next().value as number);
  }

  /** The update's batch, once; an update that came another way (a webhook) arrives now, as a batch of its own. */
  take(updateId: number, now: number): Batch {
    const batch = this.batches.get(updateId) ?? new Batch(now, 1);
    this.batches.delete(updateId);
    return batch;
  }
}
