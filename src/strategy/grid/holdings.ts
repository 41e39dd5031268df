import { type Fixed, ZERO } from '../../domain/index.js';
import type { GridPreview } from './grid-types.js';

/**
 * How much of the base the sell levels need comes from coins the account already holds: all of it without a market
 * buy, else what the market buy (sized up for its fee and the lot step) does not bring. Those coins enter the grid's
 * books as if bought at the start price (spot has no short, and a grid does not lose on coins it sells above it).
 */
export function baseFromHoldings(preview: Pick<GridPreview, 'baseForSells' | 'marketBuy'>): Fixed {
  const bought = preview.marketBuy?.quantity ?? ZERO;
  return preview.baseForSells > bought ? preview.baseForSells - bought : ZERO;
}
