import type { Command } from 'commander';
import { runStatus } from '../../lambdas/local/read-commands.ts';
import { tallyHome } from '../../lambdas/local/tally-home.ts';

/** `tally status`. */
export const register = (program: Command): void => {
  program
    .command('status')
    .description(
      'Show the local pipeline: live counters of the running `tally dev` (if any), what the warehouse holds, rejects by reason.',
    )
    .option('--json', 'print JSON instead of tables')
    .option('--home <dir>', 'local state folder (default: $TALLY_HOME or ./.tally)')
    .action(async (options: { json?: boolean; home?: string }) => {
      console.log(await runStatus(tallyHome(options.home), options.json === true));
    });
};
