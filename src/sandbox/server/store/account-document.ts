import { z } from 'zod';
import { type Result, failure, ok } from '../../../domain/index.js';
import type { SandboxHubSnapshot } from '../sandbox-hub.js';
import { futuresSnapshotSchema } from './futures-document.js';

/** The stored document's version; a document of another version is refused, never guessed at. */
const ACCOUNT_DOCUMENT_VERSION = 1;

/** What the store keeps under its one key: a versioned envelope around the hub's snapshot. */
export interface AccountDocument {
  readonly version: typeof ACCOUNT_DOCUMENT_VERSION;
  /** Server time (ms) of the save, for the owner's information. */
  readonly savedAt: number;
  readonly account: SandboxHubSnapshot;
}

const decimal = z.string().regex(/^-?\d+(\.\d{1,8})?$/, 'expected a decimal string');
const int = z.number().int();
const side = z.enum(['BUY', 'SELL']);
const tif = z.enum(['GTC', 'IOC', 'FOK']);

const order = z.object({
  orderId: int,
  clientOrderId: z.string(),
  symbol: z.string(),
  side,
  type: z.enum(['LIMIT', 'MARKET']),
  timeInForce: tif,
  price: decimal,
  origQty: decimal,
  executedQty: decimal,
  cumQuote: decimal,
  status: z.enum(['NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'REJECTED', 'EXPIRED', 'EXPIRED_IN_MATCH']),
  locked: decimal,
  time: int,
  updateTime: int,
});

// Mirrors SandboxHubSnapshot field by field, so a hand-edited or truncated document is named, not half-loaded.
const documentSchema = z.object({
  version: z.literal(ACCOUNT_DOCUMENT_VERSION),
  savedAt: int,
  account: z.object({
    matching: z.object({
      version: z.literal(1),
      nextOrderId: int,
      nextTradeId: int,
      balances: z.array(z.object({ asset: z.string(), free: decimal, locked: decimal })),
      openOrders: z.array(order),
      recentOrders: z.array(order),
      lastPrices: z.record(z.string(), decimal),
    }),
    history: z.object({
      trades: z.array(
        z.object({
          symbol: z.string(),
          id: int,
          orderId: int,
          side,
          price: decimal,
          qty: decimal,
          quoteQty: decimal,
          commission: decimal,
          commissionAsset: z.string(),
          time: int,
          isMaker: z.boolean(),
        }),
      ),
      orders: z.array(z.object({ orderId: int, time: int, timeInForce: tif, origQuoteOrderQty: decimal })),
    }),
    // Optional: a document saved before the futures account existed restores with a fresh one.
    futures: futuresSnapshotSchema.optional(),
  }),
}) satisfies z.ZodType<AccountDocument>;

export function encodeAccountDocument(account: SandboxHubSnapshot, savedAt: number): string {
  const doc: AccountDocument = { version: ACCOUNT_DOCUMENT_VERSION, savedAt, account };
  return JSON.stringify(doc);
}

/** Parses a stored document; anything else than what encodeAccountDocument writes is refused with the reason. */
export function decodeAccountDocument(text: string): Result<AccountDocument> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return failure('ACCOUNT_CORRUPT', 'the stored paper account is not valid JSON');
  }
  const version = typeof raw === 'object' && raw !== null ? (raw as { version?: unknown }).version : undefined;
  if (version !== ACCOUNT_DOCUMENT_VERSION) {
    return failure(
      'ACCOUNT_VERSION',
      `the stored paper account has version ${JSON.stringify(version) ?? 'none'}, this telegrid reads version ${ACCOUNT_DOCUMENT_VERSION}`,
    );
  }
  const parsed = documentSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return failure(
      'ACCOUNT_CORRUPT',
      `the stored paper account is damaged at ${first?.path.join('.') || 'the top'}: ${first?.message ?? 'invalid'}`,
    );
  }
  return ok(parsed.data);
}
