/** How long a stranger's chat waits for a second refusal: enough to stop a flood of answers, not to hide the bot. */
const REFUSAL_INTERVAL_MS = 10 * 60_000;

export const REFUSAL_TEXT = '⛔ This is a private bot. Send /whoami to see your ids, for its owner.';

/**
 * Who may command the bot: allowed chats; in a group, only `allowedUserIds` when given (a private chat's id is its
 * user's id, so the chat list already names the person).
 */
export class Access {
  private readonly chats: ReadonlySet<string>;
  private readonly users: ReadonlySet<string> | undefined;

  constructor(allowedChatIds: readonly string[], allowedUserIds?: readonly string[]) {
    this.chats = new Set(allowedChatIds.map(String));
    this.users = allowedUserIds === undefined ? undefined : new Set(allowedUserIds.map(String));
  }

  allows(chat: { readonly id: number; readonly type: string }, userId: number | undefined): boolean {
    if (!this.chats.has(String(chat.id))) return false;
    if (chat.type === 'private' || this.users === undefined) return true;
    return userId !== undefined && this.users.has(String(userId));
  }
}

/** At most one refusal per chat per interval, so a stranger cannot make the bot talk (and spend its send budget). */
export class RefusalGate {
  private readonly last = new Map<string, number>();

  constructor(private readonly intervalMs = REFUSAL_INTERVAL_MS) {}

  /** True when this chat may get a refusal now; counts it as sent. */
  admit(chatId: string, now: number): boolean {
    const at = this.last.get(chatId);
    if (at !== undefined && now - at < this.intervalMs) return false;
    if (this.last.size > 10_000) for (const [id, t] of this.last) if (now - t >= this.intervalMs) this.last.delete(id);
    this.last.set(chatId, now);
    return true;
  }
}

/**
 * At most `max` refusals a minute over all chats: a crowd of strangers (each in their own chat) must not spend the
 * bot's send budget, which the owner's replies share.
 */
export class RefusalBudget {
  private readonly times: number[] = [];

  constructor(private readonly max = 20) {}

  admit(now: number): boolean {
    while (this.times.length > 0 && now - this.times[0]! >= 60_000) this.times.shift();
    if (this.times.length >= this.max) return false;
    this.times.push(now);
    return true;
  }
}
