import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { REPO_SQL_DIR } from '#adapters/node/repo-assets.ts';
import { loadSqlLibrary } from '#adapters/node/sql-files.ts';
import { applyPipelineDdl } from '#core/pipeline/pipeline-ddl.ts';
import { runBackfill } from '#core/warehouse/backfill.ts';
import { runTotals } from '#core/warehouse/runner.ts';
import { tallyHome } from '../../lambdas/local/tally-home.ts';

interface BackfillFlags {
  readonly from: string;
  readonly to: string;
  readonly models?: string;
  readonly db?: string;
  readonly home?: string;
  readonly schemas: string;
}

/** `tally backfill`: re-derive a date range of the local warehouse from raw. */
export const register = (program: Command): void => {
  program
    .command('backfill')
    .description(
      'Re-derive the curated tables for a range of event dates from raw.events, one day per transaction, ' +
        'through the same models as the scheduled transform. Safe to rerun.',
    )
    .requiredOption('--from <date>', 'first event date, YYYY-MM-DD (UTC)')
    .requiredOption('--to <date>', 'last event date, YYYY-MM-DD (UTC), inclusive')
    .option('--models <names>', 'comma-separated aggregates to recompute (default: all)')
    .option('--db <path>', 'DuckDB warehouse file (default: <home>/warehouse.duckdb)')
    .option('--home <dir>', 'local state folder (default: $TALLY_HOME or ./.tally)')
    .option('--schemas <dir>', 'folder holding features.json', 'schemas')
    .addHelpText(
      'after',
      '\nExamples:\n  tally backfill --from 2026-01-01 --to 2026-01-31\n' +
        '  tally backfill --from 2026-01-05 --to 2026-01-05 --models feature_usage_daily,feature_usage_weekly',
    )
    .action(async (flags: BackfillFlags) => {
      const path = flags.db ?? tallyHome(flags.home).warehouseFile;
      if (!existsSync(path)) {
        throw new Error(
          `no warehouse at ${path}: run \`tally dev\` first, or pass --db <path> / --home <dir>`,
        );
      }
      const catalog = await loadFeatureCatalog(join(flags.schemas, 'features.json'));
      const warehouse = await createDuckDbWarehouse({ path }).catch((cause: unknown) => {
        throw new Error(
          `cannot open ${path} (is \`tally dev\` running? DuckDB allows one process): ${String(cause)}`,
        );
      });
      const library = loadSqlLibrary('duckdb', REPO_SQL_DIR);
      try {
        await applyPipelineDdl(warehouse, { library });
        const started = Date.now();
        const reports = await runBackfill({
          warehouse,
          catalog,
          library,
          from: flags.from,
          to: flags.to,
          models: flags.models
            ?.split(',')
            .map((m) => m.trim())
            .filter((m) => m !== ''),
          owner: 'tally-backfill-cli',
          onProgress: ({ day, index, total, report }) => {
            const { factRowsRead, factRowsWritten, durationMs } = runTotals(report);
            console.log(
              `[${index}/${total}] ${day}: ${factRowsRead} raw rows read, ${factRowsWritten} facts restored, ` +
                `${report.models.length} models in ${durationMs} ms`,
            );
          },
        });
        console.log(
          `backfill done: ${reports.length} day(s) ${flags.from}..${flags.to} in ${Date.now() - started} ms`,
        );
      } finally {
        await warehouse.close();
      }
    });
};
