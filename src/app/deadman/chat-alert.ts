import { Api, GrammyError } from 'grammy';

/** What became of one alert: the chats that got it, and those that did not with Telegram's last word. */
export interface AlertOutcome {
  readonly delivered: readonly string[];
  readonly failed: readonly { readonly chatId: string; readonly reason: string }[];
}

/** Tells the owner's chats something; the watchdog's only channel besides its log. */
export type ChatAlert = (text: string) => Promise<AlertOutcome>;

export interface TelegramAlertOptions {
  readonly token: string;
  readonly apiRoot: string;
  readonly chatIds: readonly string[];
  /** Tries per chat before giving up; the waits between them follow Telegram's retry_after, else grow. */
  readonly attempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const TELEGRAM_LIMIT = 4096;
/** One request may take this long: the alert must not hang on one stuck connection (issue 10). */
const REQUEST_TIMEOUT_SECONDS = 10;

/**
 * The alert straight through the Bot API (grammY's `Api`): the bot's own outbox is drained by the bot, which is the
 * process that died. A 429 waits Telegram's retry_after; 400/403 (chat not found, bot blocked) cannot be helped by a
 * retry; anything else is tried again a few times.
 */
export function telegramAlert(o: TelegramAlertOptions): ChatAlert {
  const api = new Api(o.token, { apiRoot: o.apiRoot, timeoutSeconds: REQUEST_TIMEOUT_SECONDS });
  const attempts = o.attempts ?? 5;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const sendOne = async (chatId: string, text: string): Promise<string | undefined> => {
    let reason = 'not sent';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await api.sendMessage(chatId, text.slice(0, TELEGRAM_LIMIT));
        return undefined;
      } catch (error) {
        if (error instanceof GrammyError) {
          reason = `${error.error_code}: ${error.description}`;
          if (error.error_code === 400 || error.error_code === 403) return reason;
          if (attempt < attempts) await sleep(Math.min(60, error.parameters.retry_after ?? 2 ** attempt) * 1000);
        } else {
          reason = error instanceof Error ? error.message : String(error);
          if (attempt < attempts) await sleep(Math.min(30, 2 ** attempt) * 1000);
        }
      }
    }
    return reason;
  };
  return async (text) => {
    const results = await Promise.all(o.chatIds.map(async (chatId) => ({ chatId, reason: await sendOne(chatId, text) })));
    return {
      delivered: results.filter((r) => r.reason === undefined).map((r) => r.chatId),
      failed: results.flatMap((r) => (r.reason === undefined ? [] : [{ chatId: r.chatId, reason: r.reason }])),
    };
  };
}
