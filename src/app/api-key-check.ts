import { type Result, err, ok } from '../domain/index.js';
import type { ApiRestrictions } from '../exchange/binance/index.js';
import type { GatewayFailure } from '../exchange/index.js';

/** Whatever can say what the API key may do: the Binance gateway, or a stand-in in tests. */
export interface ApiRestrictionsSource {
  apiRestrictions(): Promise<Result<ApiRestrictions, GatewayFailure>>;
}

export interface ApiKeyCheckOptions {
  /** ALLOW_WITHDRAWAL_KEY: the owner accepts a key that can withdraw. */
  readonly allowWithdrawals: boolean;
  /**
   * Default 'live'. Binance documents only /api for the Spot Test Network, so there a refused restrictions request is a
   * warning rather than a reason not to start: a testnet key moves no real funds.
   */
  readonly mode?: 'testnet' | 'live';
  /** FUTURES_SYMBOLS is set: the key must also trade USD-M futures. */
  readonly futures?: boolean;
}

export interface ApiKeyCheck {
  /** Things the owner should fix but that do not stop trading. */
  readonly warnings: readonly string[];
}

/**
 * Asks Binance what the bot's key may do before any order goes out. A key that can withdraw turns a leaked secret (a
 * log, a backup, a compromised host) into lost funds rather than unwanted trades, so it is refused unless the owner
 * overrides knowingly; a key that cannot trade spot would fail on the first order, so it is refused at once.
 */
export async function checkApiKey(source: ApiRestrictionsSource, options: ApiKeyCheckOptions): Promise<Result<ApiKeyCheck>> {
  const r = await source.apiRestrictions();
  if (!r.ok) {
    if (options.mode === 'testnet' && r.error.kind === 'rejected') {
      return ok({
        warnings: [`The testnet did not report the API key's permissions (${r.error.message}); they are checked in live mode.`],
      });
    }
    return err({
      code: 'API_KEY_UNCHECKED',
      message: `Could not ask Binance what the API key may do (${r.error.message}); not trading with a key whose permissions are unknown.`,
    });
  }
  const key = r.value;
  if (!key.enableSpotAndMarginTrading) {
    return err({
      code: 'API_KEY_CANNOT_TRADE',
      message: 'The Binance API key cannot trade: in API Management, edit the key and tick "Enable Spot & Margin Trading".',
    });
  }
  if (options.futures === true && key.enableFutures !== true) {
    return err({
      code: 'API_KEY_CANNOT_TRADE_FUTURES',
      message:
        'FUTURES_SYMBOLS is set but the Binance API key cannot trade futures: in API Management, edit the key and tick ' +
        '"Enable Futures" (or empty FUTURES_SYMBOLS to trade spot only).',
    });
  }
  const warnings: string[] = [];
  if (key.enableWithdrawals) {
    if (!options.allowWithdrawals) {
      return err({
        code: 'API_KEY_CAN_WITHDRAW',
        message:
          'The Binance API key can withdraw funds: in API Management, edit the key and untick "Enable Withdrawals" ' +
          '(or set ALLOW_WITHDRAWAL_KEY=true to use it anyway, knowingly).',
      });
    }
    warnings.push('The Binance API key can withdraw funds (allowed by ALLOW_WITHDRAWAL_KEY=true); a key without withdrawals is safer.');
  }
  if (!key.ipRestrict) {
    warnings.push("The Binance API key is not restricted to trusted IPs: in API Management, restrict it to this server's IP address.");
  }
  return ok({ warnings });
}
