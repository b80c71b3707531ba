import type { Command } from 'commander';
import { LocalConfigError } from '../../lambdas/local/errors.ts';
import { runConsole } from '../../lambdas/local/run-console.ts';
import { tallyHome } from '../../lambdas/local/tally-home.ts';

/** `tally console`: the Tally Console over a local state folder. */
export const register = (program: Command): void => {
  program
    .command('console')
    .description(
      'Serve the Tally Console (health, usage, adoption, activation, cohorts, quality, rejected events) for a ' +
        'local state folder: through the running `tally dev` if there is one, else from its warehouse file.',
    )
    .option('--home <dir>', 'local state folder (default: $TALLY_HOME or ./.tally)')
    .option('--port <port>', 'port on 127.0.0.1 (0 picks a free one)', '4319')
    .addHelpText(
      'after',
      '\nExample:\n  tally console --home /tmp/t --port 0   the console of a stopped stack, on a free port',
    )
    .action(async (options: { home?: string; port: string }) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) {
        throw new LocalConfigError([
          `--port must be an integer from 0 to 65535, got ${JSON.stringify(options.port)}`,
        ]);
      }
      await runConsole({ home: tallyHome(options.home), port, print: (line) => console.log(line) });
    });
};
