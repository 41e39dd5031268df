import { z } from 'zod';
import { failure, ok } from '../../domain/index.js';
import { noArgs } from '../args.js';
import { type AnyCommand, type Command, type CommandContext, defineCommand } from '../registry.js';

function helpEntry(c: AnyCommand): string {
  return `${c.usage}\n  ${c.summary}\n  e.g. ${c.example}`;
}

function confirmNote(ctx: CommandContext): string {
  return (
    'Commands that change something show what they will do first; ' +
    `reply confirm (or yes) within ${Math.round(ctx.confirmTtlMs / 1000)} s to go ahead, cancel (or no) to drop it.`
  );
}

export function startCommand(): Command<Record<string, never>, { readonly mode: string; readonly venue: string }> {
  return defineCommand({
    name: 'start',
    role: 'viewer',
    summary: 'Welcome and quick help.',
    usage: '/start',
    example: '/start',
    args: noArgs,
    handler: async (_args, ctx) => {
      const s = ctx.services.status();
      return ok({ mode: s.mode, venue: s.venue });
    },
    render: ({ mode, venue }, ctx) => ({
      text: [
        `👋 Welcome to telegrid, a grid-trading bot for Binance spot (${mode} on ${venue}).`,
        '',
        'Quick start:',
        '  /grid BTCUSDT 10 0.5   preview a grid of 10 buys and 10 sells, 0.5 % apart',
        '  /grids                 see your grids and their profit',
        '  /stop G1               stop a grid',
        '  /pnl  /positions  /balance  /orders  /status',
        '  /kill [now|flatten]    emergency stop: halt and cancel everything (flatten also sells)',
        '',
        confirmNote(ctx),
        'Send /help for every command.',
      ].join('\n'),
    }),
  });
}

export function helpCommand(): Command<string | undefined, AnyCommand | undefined> {
  return defineCommand({
    name: 'help',
    role: 'viewer',
    summary: 'List every command with its usage and an example, or explain one.',
    usage: '/help [COMMAND]',
    example: '/help grid',
    syntax: { positional: ['COMMAND'] },
    args: z.object({ COMMAND: z.string().optional() }).transform((a) => a.COMMAND?.replace(/^\//, '').toLowerCase()),
    handler: async (name, ctx) => {
      if (name === undefined) return ok(undefined);
      const command = ctx.commands.find((c) => c.name === name);
      return command ? ok(command) : failure('UNKNOWN_COMMAND', `No command /${name}. Send /help to see every command.`);
    },
    render: (command, ctx) => {
      if (command) return { text: helpEntry(command) };
      return { text: ['Commands:', '', ...ctx.commands.map(helpEntry), '', confirmNote(ctx)].join('\n') };
    },
  });
}
