import { type Fixed, ZERO, format } from '../domain/index.js';
import type { RiskLimits } from '../risk/index.js';
import type { GridPreview, GridWarning } from '../strategy/index.js';

export interface OpenOrders {
  readonly onSymbol: number;
  readonly total: number;
}

/**
 * What the risk gate would refuse if the owner confirmed this preview now, said before anything is placed: a ladder
 * half of which is denied after "confirm" is worse than one that is never started.
 */
export function riskWarnings(preview: GridPreview, limits: RiskLimits, open: OpenOrders): GridWarning[] {
  const warnings: GridWarning[] = [];
  const orders = preview.levels.length + (preview.marketBuy ? 1 : 0);
  const perSymbol = limits.maxOpenOrdersPerSymbol ?? 0;
  if (perSymbol > 0 && open.onSymbol + orders > perSymbol) {
    warnings.push({
      code: 'RISK_LIMIT',
      message:
        `${orders} orders plus ${open.onSymbol} already open on ${preview.params.symbol} ` +
        `exceed RISK_MAX_OPEN_ORDERS_PER_SYMBOL=${perSymbol}; ` +
        'the orders past it will be refused. Use fewer LEVELS.',
    });
  }
  const total = limits.maxOpenOrdersTotal ?? 0;
  if (total > 0 && open.total + orders > total) {
    warnings.push({
      code: 'RISK_LIMIT',
      message: `${orders} orders plus ${open.total} already open exceed RISK_MAX_OPEN_ORDERS_TOTAL=${total}.`,
    });
  }
  const maxNotional = limits.maxOrderNotional ?? ZERO;
  if (maxNotional > ZERO) {
    const largest = preview.levels.reduce<Fixed>((m, l) => (l.notional > m ? l.notional : m), preview.marketBuy?.estimatedQuote ?? ZERO);
    if (largest > maxNotional) {
      warnings.push({
        code: 'RISK_LIMIT',
        message:
          `an order of ${format(largest)} ${preview.quoteAsset} exceeds RISK_MAX_ORDER_NOTIONAL=${format(maxNotional)}; ` +
          'it will be refused. Lower AMOUNT or LEVELS.',
      });
    }
  }
  return warnings;
}
