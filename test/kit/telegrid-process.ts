/** The telegrid CLI as a child process (node with tsx's loader), for tests that signal or kill the bot. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** tsx's ESM loader, so the child is `node` itself running the CLI: a signal sent to it reaches the bot, not a wrapper. */
const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
const cli = fileURLToPath(new URL('../../src/app/cli.ts', import.meta.url));

/**
 * Runs `telegrid <args>` as a child process with only `env` (and PATH) for settings. `node --import tsx/esm`, not the
 * tsx CLI: the CLI is a wrapper process, so a SIGKILL meant for the bot would kill only the wrapper and the bot would
 * see its input close and stop cleanly, which is not the crash a test means.
 */
export function spawnTelegrid(args: readonly string[], env: Record<string, string>, cwd?: string): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', loader, cli, ...args], {
    ...(cwd ? { cwd } : {}),
    env: { PATH: process.env.PATH ?? '', ...env },
  });
}
