import type { Command } from 'commander';
import { FACTS } from '#core/activation/facts.ts';
import { GRAINS } from '#core/activation/grain.ts';
import { runActivationReport, runReport } from '../../lambdas/local/read-commands.ts';
import {
  ACTIVATION_REPORT,
  parseActivationRequest,
  parseReportRequest,
  type RawReportOptions,
  REPORT_NAMES,
} from '../../lambdas/local/report-options.ts';
import { REPORTS } from '../../lambdas/local/reports/index.ts';
import { tallyHome } from '../../lambdas/local/tally-home.ts';

const ACTIVATION_SUMMARY =
  'New / Retained / Reactivated / churned users per period of a fact (--fact, --grain)';

/** `tally report usage|adoption|last-seen|activation`. */
export const register = (program: Command): void => {
  program
    .command('report')
    .description(
      'Print a curated report from the local warehouse (through the running `tally dev` if there is one).',
    )
    .argument('<report>', REPORT_NAMES.join(' | '))
    .option('--workspace <id>', 'only this workspace')
    .option('--feature <id>', 'only this feature and the features below it (e.g. editor.comments)')
    .option(
      '--from <date>',
      'first day, YYYY-MM-DD (usage: default 6 days before --to; activation: any day of the first period)',
    )
    .option(
      '--to <date>',
      'last day, YYYY-MM-DD (usage: default the latest day with data; activation: any day of the last period)',
    )
    .option(
      '--fact <name>',
      `activation: which events make a user active (${FACTS.map((f) => f.name).join(', ')})`,
    )
    .option('--grain <grain>', `activation: ${GRAINS.join(', ')} (default week)`)
    .option('--limit <n>', 'most rows to print (default 30; activation: the latest periods, default 24)')
    .option('--format <format>', 'table, csv or json', 'table')
    .option('--home <dir>', 'local state folder (default: $TALLY_HOME or ./.tally)')
    .addHelpText(
      'after',
      `\nReports:\n${REPORTS.map((r) => `  ${r.name.padEnd(10)} ${r.summary}`).join('\n')}\n` +
        `  ${ACTIVATION_REPORT.padEnd(10)} ${ACTIVATION_SUMMARY}\n` +
        `\nActivation facts:\n${FACTS.map((f) => `  ${f.name.padEnd(16)} ${f.description}`).join('\n')}\n` +
        '\nExamples:\n  tally report usage --feature editor --from 2025-03-01 --to 2025-03-07\n' +
        '  tally report adoption --workspace ws_0042 --format csv\n' +
        '  tally report activation --fact app_visit --grain week --from 2025-01-01 --to 2025-03-31',
    )
    .action(async (name: string, options: RawReportOptions & { home?: string }) => {
      const home = tallyHome(options.home);
      console.log(
        name === ACTIVATION_REPORT
          ? await runActivationReport(home, parseActivationRequest(options))
          : await runReport(home, parseReportRequest(name, options)),
      );
    });
};
