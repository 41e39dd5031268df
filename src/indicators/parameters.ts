/**
 * The standard parameters every reading names (Wilder's 14 for RSI, ATR and ADX; Appel's 12/26/9; Bollinger's 20/2;
 * Chande and Kroll's 14 for StochRSI with 3/3 smoothing; SuperTrend's common 10/3) and the reading thresholds.
 */
export const RSI_PERIOD = 14;
export const RSI_OVERBOUGHT = 70;
export const RSI_OVERSOLD = 30;

export const MACD_FAST = 12;
export const MACD_SLOW = 26;
export const MACD_SIGNAL = 9;

export const BB_PERIOD = 20;
export const BB_DEVIATIONS = 2;

export const ATR_PERIOD = 14;

export const EMA_PERIODS = [20, 50, 200] as const;

export const ADX_PERIOD = 14;
/** Below the first: no trend; then weak, strong, and from the last very strong. */
export const ADX_BANDS = [20, 25, 40] as const;

export const STOCH_RSI_PERIOD = 14;
export const STOCH_RSI_SMOOTHING = 3;
export const STOCH_RSI_OVERBOUGHT = 0.8;
export const STOCH_RSI_OVERSOLD = 0.2;

export const SUPERTREND_PERIOD = 10;
export const SUPERTREND_MULTIPLIER = 3;
