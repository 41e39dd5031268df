import { Redis } from 'ioredis';
import { REDIS_KEYS, type Result, failure, ok } from '../../../domain/index.js';
import type { SandboxHubSnapshot } from '../sandbox-hub.js';
import { decodeAccountDocument, encodeAccountDocument } from './account-document.js';

export interface AccountStoreOptions {
  /** e.g. redis://127.0.0.1:6379 */
  readonly url: string;
  /** Namespaces the key, so several bots (or test runs) share one Redis. */
  readonly keyPrefix: string;
  /** How long the first connection may take; default 1000 ms. */
  readonly connectTimeoutMs?: number;
}

/** The one key an account lives under (a family of the bot's key table, domain/redis-keys.ts). */
export function accountKey(keyPrefix: string): string {
  return REDIS_KEYS.sandboxAccount.key(keyPrefix);
}

/** The paper account's one Redis key: a versioned JSON document, loaded at start and overwritten by each save. */
export class AccountStore {
  private constructor(
    private readonly redis: Redis,
    readonly key: string,
  ) {}

  /** Connects once, within the timeout; an unreachable Redis is a failure (STORE_UNREACHABLE), not a retry loop. */
  static async connect(options: AccountStoreOptions): Promise<Result<AccountStore>> {
    let connected = false;
    const redis = new Redis(options.url, {
      lazyConnect: true,
      connectTimeout: options.connectTimeoutMs ?? 1000,
      // Before the first connection: give up at once. After it: reconnect quietly with a capped backoff.
      retryStrategy: (times) => (connected ? Math.min(times * 200, 5000) : null),
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
    });
    // Problems surface as failed saves; without a listener ioredis would print every reconnect error.
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      connected = true;
      return ok(new AccountStore(redis, accountKey(options.keyPrefix)));
    } catch (e) {
      redis.disconnect();
      return failure('STORE_UNREACHABLE', `Redis at ${options.url} is unreachable (${e instanceof Error ? e.message : String(e)})`);
    }
  }

  /** The stored account, undefined when there is none; a damaged or unknown-version document is a failure. */
  async load(): Promise<Result<SandboxHubSnapshot | undefined>> {
    let text: string | null;
    try {
      text = await this.redis.get(this.key);
    } catch (e) {
      return failure('STORE_FAILED', `cannot read ${this.key} from Redis: ${String(e)}`);
    }
    if (text === null) return ok(undefined);
    const doc = decodeAccountDocument(text);
    if (!doc.ok) return failure(doc.error.code, `${doc.error.message} (Redis key ${this.key})`);
    return ok(doc.value.account);
  }

  async save(account: SandboxHubSnapshot, savedAt: number): Promise<Result<void>> {
    try {
      await this.redis.set(this.key, encodeAccountDocument(account, savedAt));
      return ok(undefined);
    } catch (e) {
      return failure('STORE_FAILED', `cannot save the paper account to Redis: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Deletes the stored account. */
  async remove(): Promise<void> {
    await this.redis.del(this.key);
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    else this.redis.disconnect();
  }
}
