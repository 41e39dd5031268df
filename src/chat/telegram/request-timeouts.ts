import type { Transformer } from 'grammy';

/** A Bot API call that got no answer in time; to its caller a transient failure like any network error. */
class TelegramTimeout extends Error {
  constructor(
    readonly method: string,
    readonly seconds: number,
  ) {
    super(`Telegram did not answer ${method} within ${seconds} s`);
    this.name = 'TelegramTimeout';
  }
}

/**
 * Gives every Bot API call a deadline that fits it: a long poll its poll timeout plus `requestSeconds`, anything else
 * `requestSeconds`. grammY's own deadline (500 s unless set) is one value for all methods, so one hung sendMessage
 * would otherwise hold whoever awaits it for minutes.
 */
export function requestTimeouts(requestSeconds: number): Transformer {
  return async (prev, method, payload, signal) => {
    const poll = method === 'getUpdates' ? Number((payload as { timeout?: number }).timeout ?? 0) : 0;
    const seconds = poll + requestSeconds;
    const controller = new AbortController();
    const abort = () => controller.abort();
    if (signal?.aborted === true) abort();
    else signal?.addEventListener('abort', abort);
    let timedOut = false;
    const timer = setTimeout(() => ((timedOut = true), abort()), seconds * 1000);
    try {
      // grammY types its signal as the abort-controller polyfill's; it only listens for 'abort', which both fire.
      return await prev(method, payload, controller.signal as unknown as typeof signal);
    } catch (error) {
      throw timedOut ? new TelegramTimeout(method, seconds) : error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    }
  };
}
