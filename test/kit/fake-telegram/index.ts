/**
 * A fake Telegram Bot API for tests. Point grammY at it with
 * `new Bot(DEFAULT_TOKEN, { client: { apiRoot: fake.url } })`; play users with `userSends` / `userTaps`; read what the
 * bot did with `sent`, `messages`, `photos` (captions and uploaded bytes), `callbackAnswers`, `commands`, `requests`;
 * script flood control with `enforceTelegramLimits` / `inject429` and check `violations()`; script trouble with `hang`,
 * `failWith` and `drop`.
 */
export { DEFAULT_TOKEN, FakeTelegram, startFakeTelegram } from './fake-telegram.js';
export type * from './types.js';
export type { FaultHandle } from './faults.js';
