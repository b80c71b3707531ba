import type { Command } from 'commander';
import { runQuery } from '../../lambdas/local/read-commands.ts';
import { tallyHome } from '../../lambdas/local/tally-home.ts';

/** `tally query "SQL"`. */
export const register = (program: Command): void => {
  program
    .command('query')
    .description(
      'Run one SQL statement against the local DuckDB warehouse (through the running `tally dev` if there is one).',
    )
    .argument('<sql>', 'the statement, quoted, e.g. "SELECT COUNT(*) FROM curated.fct_feature_events"')
    .option('--format <format>', 'table, csv or json', 'table')
    .option('--home <dir>', 'local state folder (default: $TALLY_HOME or ./.tally)')
    .addHelpText(
      'after',
      '\nSchemas: raw (events, rejected_events), curated (fct_feature_events, feature_usage_daily, ...,\n' +
        'app_visit_activation_week and its _summary, ...), ops (model_runs, quality_status, ...).\n' +
        'Example:\n  tally query "SELECT event_date, COUNT(*) FROM curated.fct_feature_events GROUP BY 1 ORDER BY 1"',
    )
    .action(async (sql: string, options: { format: string; home?: string }) => {
      console.log(await runQuery(tallyHome(options.home), sql, options.format));
    });
};
