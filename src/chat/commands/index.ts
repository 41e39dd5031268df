import type { AnyCommand } from '../registry.js';
import type { TradingServices } from '../services.js';
import { balanceCommand, ordersCommand, pnlCommand, positionsCommand, statusCommand } from './account-commands.js';
import { gridCommand, gridsCommand, stopCommand } from './grid-commands.js';
import { helpCommand, startCommand } from './help-commands.js';
import { killCommand, resumeCommand } from './safety-commands.js';

export { gridPreviewText } from './grid-texts.js';
export { type KillReceiptShape, killAckText, killReceiptText } from './safety-commands.js';

/** Every built-in command, in the order /help lists them. */
export function builtinCommands(services: TradingServices): AnyCommand[] {
  return [
    startCommand(),
    helpCommand(),
    gridCommand(services),
    gridsCommand(),
    stopCommand(services),
    positionsCommand(),
    ordersCommand(services),
    pnlCommand(),
    balanceCommand(),
    statusCommand(),
    killCommand(),
    resumeCommand(),
  ];
}
