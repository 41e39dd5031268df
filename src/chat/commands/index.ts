import type { AnyCommand } from '../registry.js';
import type { TradingServices } from '../services.js';
import { auditCommand } from './audit-command.js';
import { deadmanCommand } from './deadman-commands.js';
import { balanceCommand, ordersCommand, pnlCommand, positionsCommand, statusCommand } from './account-commands.js';
import { gridCommand, gridsCommand, stopCommand } from './grid-commands.js';
import { helpCommand, startCommand } from './help-commands.js';
import { killCommand, resumeCommand } from './safety-commands.js';
import { limitsCommand } from './limits-command.js';
import { fundingCommand } from './futures-commands.js';
import { taCommand } from './ta-command.js';
import { chartCommand } from './chart-command.js';
import { backtestCommand } from './backtest-command.js';

export { gridPreviewText } from './grid-texts.js';
export { DEFAULT_FUTURES_LEVERAGE, DEFAULT_FUTURES_MARGIN, directionMissing, leverageWord } from './futures-words.js';
export { killAckText, killReceiptText } from './safety-commands.js';

/** Every built-in command, in the order /help lists them. */
export function builtinCommands(services: TradingServices): AnyCommand[] {
  return [
    startCommand(),
    helpCommand(),
    gridCommand(services),
    gridsCommand(services),
    stopCommand(services),
    positionsCommand(),
    ordersCommand(services),
    pnlCommand(),
    fundingCommand(),
    taCommand(services),
    chartCommand(services),
    backtestCommand(services),
    balanceCommand(),
    statusCommand(),
    limitsCommand(),
    killCommand(),
    resumeCommand(),
    auditCommand(),
    deadmanCommand(services),
  ];
}
