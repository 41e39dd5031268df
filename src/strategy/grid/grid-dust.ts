import {
  type Fixed,
  type Instrument,
  type Result,
  ZERO,
  failure,
  fixed,
  format,
  minNotionalOf,
  ok,
  validateOrder,
} from '../../domain/index.js';
import { marketStep } from './ladder.js';

/**
 * The market sell that clears a grid's dust when the grid ends: the dust rounded down to the market lot step, if that
 * passes the symbol's filters (minimum quantity and notional at `price`); otherwise a failure saying why it is left.
 */
export function dustExitQuantity(inst: Instrument, dust: Fixed, price: Fixed | undefined): Result<Fixed> {
  const quantity = fixed.roundTo(dust, marketStep(inst), 'floor');
  const what = `${format(dust)} ${inst.baseAsset} of dust`;
  if (quantity <= ZERO) return failure('DUST_LEFT', `${what} is under one lot step and is left in the account`);
  if (price === undefined) return failure('DUST_LEFT', `${what} is left in the account: no price is known to check its size`);
  // Checked even where the minimum notional does not apply to market orders: dust is sold only when it is worth an order.
  const notional = fixed.mul(price, quantity, 'floor');
  if (notional < minNotionalOf(inst))
    return failure(
      'DUST_LEFT',
      `${what} is left in the account: worth ${format(notional)}, under the minimum ${format(minNotionalOf(inst))}`,
    );
  const check = validateOrder(inst, { side: 'SELL', type: 'MARKET', quantity, referencePrice: price });
  if (!check.ok) return failure('DUST_LEFT', `${what} is left in the account: ${check.error.message}`);
  return ok(quantity);
}
