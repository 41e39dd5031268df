import { GrammyError, HttpError } from 'grammy';

/**
 * What one outgoing text came to; a caller retries from part `delivered` after `retryAfterMs`. Shaped to fit the
 * outbox's `OutboxSend` result ({ok} | {ok:false, retryAfterMs} | {ok:false, error}).
 */
export type TelegramSendResult =
  | { readonly ok: true; readonly messageIds: readonly number[] }
  | { readonly ok: false; readonly kind: 'rate_limited'; readonly retryAfterMs: number; readonly delivered: number }
  /** `permanent`: Telegram refused the request itself (400, 403: chat not found, bot blocked), so a retry cannot help. */
  | { readonly ok: false; readonly kind: 'failed'; readonly error: string; readonly permanent: boolean; readonly delivered: number };

/** Telegram's flood answer becomes a wait; anything else becomes its description (never the request, which holds the token). */
export function sendFailure(error: unknown, delivered: number): Exclude<TelegramSendResult, { ok: true }> {
  if (error instanceof GrammyError) {
    if (error.error_code === 429)
      return { ok: false, kind: 'rate_limited', retryAfterMs: (error.parameters.retry_after ?? 1) * 1000, delivered };
    const permanent = error.error_code === 400 || error.error_code === 403;
    return { ok: false, kind: 'failed', error: error.description, permanent, delivered };
  }
  if (error instanceof HttpError)
    return { ok: false, kind: 'failed', error: 'network error talking to Telegram', permanent: false, delivered };
  return { ok: false, kind: 'failed', error: error instanceof Error ? error.message : String(error), permanent: false, delivered };
}
