import type { Command } from 'commander';
import { parseDevOptions, type RawDevOptions } from '../../lambdas/local/dev-options.ts';
import { runDev } from '../../lambdas/local/run-dev.ts';

/** `tally dev`: the whole pipeline on this machine. */
export const register = (program: Command): void => {
  program
    .command('dev')
    .description(
      'Run the whole pipeline locally: collector on 127.0.0.1, durable stream, validator, local Firehose, ' +
        'loader into DuckDB, the scheduled transform, quality checks and erasure sweep. Prints the endpoint, a write key and a ' +
        'status line; ' +
        'Ctrl-C stops cleanly and the next start resumes.',
    )
    .option('--port <port>', 'collector port on 127.0.0.1 (0 picks a free one)', '4318')
    .option('--home <dir>', 'local state folder (default: $TALLY_HOME or ./.tally)')
    .option('--schemas <dir>', 'folder with events/ schemas and features.json', 'schemas')
    .option('--demo', 'also send the NovaSuite demo workload (history, then live traffic)')
    .option('--seed <n>', 'demo seed: the same seed sends the same events', '42')
    .option('--demo-days <n>', 'days of demo history sent at start', '2')
    .option('--demo-rate <events/s>', 'mean demo events per second (daily and weekly curve on top)', '2')
    .option('--transform-every <seconds>', 'how often the transform models run', '60')
    .option('--quality-every <seconds>', 'how often the quality checks run (0: never)', '60')
    .option(
      '--erasure-every <seconds>',
      "how often the erasure job sweeps erased users' late events and finishes open requests (0: never; daily on AWS)",
      '3600',
    )
    .option('--buffer-seconds <seconds>', 'local Firehose buffer interval (raw freshness)', '1')
    .option('--status-every <seconds>', 'status line interval (0: off)', '5')
    .addHelpText(
      'after',
      '\nExamples:\n  npm start                        same as: tally dev --demo\n' +
        '  tally dev --port 0 --home /tmp/t  a second stack on a free port and its own state\n' +
        '\nWhile it runs, read results with `tally report usage`, `tally query "SQL"` and `tally status`.',
    )
    .action(async (raw: RawDevOptions) => {
      await runDev(parseDevOptions(raw, (line) => console.log(line)));
    });
};
