/** When each polled update arrived, and whether it ended its getUpdates batch (skipped commands are told per batch). */
export class UpdateBatches {
  private readonly arrived = new Map<number, { readonly at: number; readonly last: boolean }>();

  note(updates: readonly { readonly update_id: number }[], now: number): void {
    updates.forEach((u, i) => this.arrived.set(u.update_id, { at: now, last: i === updates.length - 1 }));
    // Updates stop() fetched only to confirm the offset are never handled; keep the map from growing on them.
    while (this.arrived.size > 1_000) this.arrived.delete(this.arrived.keys().next().value as number);
  }

  /** An update that came another way (a webhook) arrives now, as a batch of its own. */
  arrival(updateId: number, now: number): { readonly at: number; readonly last: boolean } {
    return this.arrived.get(updateId) ?? { at: now, last: true };
  }

  done(updateId: number): void {
    this.arrived.delete(updateId);
  }
}

/** The first word of a message when it is a command: its name and the bot it names (`/grid@telegrid_bot`). */
export function commandHead(text: string): { readonly name: string; readonly target?: string } | undefined {
  const found = /^\/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]+))?(?=\s|$)/.exec(text.trim());
  if (found === null) return undefined;
  return found[2] === undefined ? { name: found[1]!.toLowerCase() } : { name: found[1]!.toLowerCase(), target: found[2] };
}
