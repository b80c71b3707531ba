#!/usr/bin/env -S node --import tsx
/**
 * The `tally` CLI. Every file in `bin/commands/` exports `register(program)` and adds one
 * command; this entry only builds the program and runs it.
 *
 * It runs as ONE node process with tsx's loader (`node --import tsx`, here and in package.json's
 * scripts), never under the `tsx` CLI: that CLI runs the script in a child process and, on SIGINT,
 * waits 30 ms for the child to confirm the signal, sends it again, then SIGKILLs it, which cut
 * `tally dev`'s clean stop short whenever its event loop was busy (docs/LOCAL.md, Stopping).
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command } from 'commander';

const here = dirname(fileURLToPath(import.meta.url));
const program = new Command('tally')
  .description('Tally: feature-usage analytics pipeline (local mode and operations)')
  .showHelpAfterError('(run with --help for usage)');

const commandFiles = readdirSync(join(here, 'commands')).filter(
  (f) => f.endsWith('.ts') && !f.startsWith('_'),
);
for (const file of commandFiles.sort()) {
  const mod: { register?: (p: Command) => void } = await import(
    pathToFileURL(join(here, 'commands', file)).href
  );
  mod.register?.(program);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`tally: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
