/** What GET /sapi/v1/account/apiRestrictions reports for the account's one API key. */
export interface SandboxApiRestrictions {
  readonly ipRestrict: boolean;
  readonly enableReading: boolean;
  readonly enableSpotAndMarginTrading: boolean;
  readonly enableWithdrawals: boolean;
  readonly enableInternalTransfer: boolean;
  readonly enableMargin: boolean;
  readonly enableFutures: boolean;
  readonly permitsUniversalTransfer: boolean;
  readonly enableVanillaOptions: boolean;
  readonly enableFixApiTrade: boolean;
  readonly enableFixReadOnly: boolean;
  readonly enablePortfolioMarginTrading: boolean;
  /** ms; when the key was made. */
  readonly createTime: number;
}

/** What a grid bot's key should be: it can read and trade spot, nothing else. */
const DEFAULT_API_RESTRICTIONS: Omit<SandboxApiRestrictions, 'createTime'> = Object.freeze({
  ipRestrict: false,
  enableReading: true,
  enableSpotAndMarginTrading: true,
  enableWithdrawals: false,
  enableInternalTransfer: false,
  enableMargin: false,
  enableFutures: false,
  permitsUniversalTransfer: false,
  enableVanillaOptions: false,
  enableFixApiTrade: false,
  enableFixReadOnly: false,
  enablePortfolioMarginTrading: false,
});

export function sandboxApiRestrictions(createTime: number, overrides: Partial<SandboxApiRestrictions> = {}): SandboxApiRestrictions {
  return { ...DEFAULT_API_RESTRICTIONS, createTime, ...overrides };
}
