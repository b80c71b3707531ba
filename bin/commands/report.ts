import type { Command } from 'commander';
import { runReport } from '../../lambdas/local/read-commands.ts';
import { parseReportRequest, type RawReportOptions } from '../../lambdas/local/report-options.ts';
import { REPORTS } from '../../lambdas/local/reports/index.ts';
import { tallyHome } from '../../lambdas/local/tally-home.ts';

/** `tally report usage|adoption|last-seen`. */
export const register = (program: Command): void => {
  program
    .command('report')
    .description('Print a curated report from the local warehouse.')
    .argument('<report>', REPORTS.map((r) => r.name).join(' | '))
    .option('--workspace <id>', 'only this workspace')
    .option('--feature <id>', 'only this feature and the features below it (e.g. editor.comments)')
    .option('--from <date>', 'first day, YYYY-MM-DD (usage: default 6 days before --to)')
    .option('--to <date>', 'last day, YYYY-MM-DD (usage: default the latest day with data)')
    .option('--limit <n>', 'most rows to print', '30')
    .option('--format <format>', 'table, csv or json', 'table')
    .option('--home <dir>', 'local state folder (default: $TALLY_HOME or ./.tally)')
    .addHelpText(
      'after',
      `\nReports:\n${REPORTS.map((r) => `  ${r.name.padEnd(10)} ${r.summary}`).join('\n')}\n` +
        '\nExamples:\n  tally report usage --feature editor --from 2025-03-01 --to 2025-03-07\n' +
        '  tally report adoption --workspace ws_0042 --format csv',
    )
    .action(async (name: string, options: RawReportOptions & { home?: string }) => {
      console.log(await runReport(tallyHome(options.home), parseReportRequest(name, options)));
    });
};
