import type { Command } from 'commander';
import { type ReplayFlags, runReplayCommand } from '../../lambdas/local/replay-command.ts';

/** `tally replay`: rejected events, after a schema fix, through the same validator, once. */
export const register = (program: Command): void => {
  program
    .command('replay')
    .description(
      'Replay rejected events of the local stack after a fix (a schema version added, a validator bug fixed): ' +
        'the rejected lines of a time range, a reason or an event name are validated again with the schemas as ' +
        'they are now; events that pass are written for the loader, each once (a dedup key already stored is ' +
        'skipped, so running it twice adds nothing). Works while `tally dev` runs.',
    )
    .requiredOption('--from <time>', 'first receipt time, ISO-8601 with a zone or YYYY-MM-DD (UTC)')
    .option('--to <time>', 'receipt times before this (default: now)')
    .option('--reason <codes>', 'reject reasons to replay, comma-separated (default: every reason)')
    .option('--event <names>', 'event names to replay, comma-separated (default: every name)')
    .option('--lag-hours <n>', "hours of rejected/ partitions read after --to (the validator's lag)", '6')
    .option('--dry-run', 'validate and count, write nothing')
    .option('--home <dir>', 'local state folder (default: $TALLY_HOME or ./.tally)')
    .option('--schemas <dir>', 'the schemas to validate with (the fixed ones)', 'schemas')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  tally replay --from 2026-03-01 --reason UNKNOWN_SCHEMA_VERSION --dry-run\n' +
        '  tally replay --from 2026-03-01T00:00:00Z --to 2026-03-10T12:00:00Z --reason UNKNOWN_SCHEMA --event report_exported\n' +
        '\nOn AWS the replay Lambda does the same (docs/DEPLOY.md, Replay).',
    )
    .action(async (flags: ReplayFlags) => {
      const report = await runReplayCommand(flags, (line) => console.log(line));
      if (report.failed > 0) process.exitCode = 1;
    });
};
