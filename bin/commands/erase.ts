import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { FolderObjectStore } from '#adapters/local/folder-object-store.ts';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { REPO_SQL_DIR } from '#adapters/node/repo-assets.ts';
import { loadSqlLibrary } from '#adapters/node/sql-files.ts';
import { type EraseUserOutcome, eraseUser } from '#core/erasure/erase-user.ts';
import { runErasureJob, scheduledRunLine } from '#core/erasure/erasure-job.ts';
import type { ErasureRequest } from '#core/erasure/request-record.ts';
import { applyPipelineDdl } from '#core/pipeline/pipeline-ddl.ts';
import { readDevState } from '../../lambdas/local/dev-state.ts';
import { tallyHome } from '../../lambdas/local/tally-home.ts';

export interface EraseFlags {
  readonly user?: string;
  readonly workspace?: string;
  readonly pending?: boolean;
  readonly requestedBy?: string;
  readonly db?: string;
  readonly bucket?: string;
  readonly home?: string;
  readonly schemas: string;
  /** The run's clock (tests); now by default. */
  readonly now?: () => Date;
}

const summary = (r: ErasureRequest): string =>
  `${r.linesRemoved} raw line(s) removed from ${r.objectsRewritten + r.objectsDeleted} object(s) ` +
  `(${r.objectsRewritten} rewritten, ${r.objectsDeleted} deleted), ${r.rowsRemoved} warehouse row(s) removed; ` +
  `verified: nothing left in ${Object.keys(r.verification?.tables ?? {}).length} table(s) and ` +
  `${r.verification?.objectsScanned ?? 0} object(s)`;

const describeOutcome = (outcome: EraseUserOutcome): string =>
  outcome.kind === 'already_erased'
    ? `already erased by request ${outcome.request.requestId} on ${outcome.request.completedAt?.toISOString()}; ` +
      `searched again: nothing left in ${Object.keys(outcome.verification.tables).length} table(s) and ` +
      `${outcome.verification.objectsScanned} object(s); nothing written`
    : `erasure ${outcome.request.requestId} completed${outcome.resumed ? ' (resumed)' : ''}: ${summary(outcome.request)}`;

/**
 * `tally erase`: erases a user from the local stack (DuckDB warehouse and bucket folder), or runs what the
 * daily Lambda runs (`--pending`: sweep late events of erased users, finish open requests). Prints each
 * step; throws an Error saying what to do when it cannot run.
 */
export const runEraseCommand = async (flags: EraseFlags, print: (line: string) => void): Promise<void> => {
  if ((flags.user === undefined) === (flags.pending !== true)) {
    throw new Error('give --user <id> to erase a user, or --pending to run the open requests and the sweep');
  }
  if (flags.pending && flags.workspace !== undefined)
    throw new Error('--workspace goes with --user, not --pending');
  const home = tallyHome(flags.home);
  const dbPath = flags.db ?? home.warehouseFile;
  const bucket = flags.bucket ?? home.bucketDir;
  if (!existsSync(dbPath))
    throw new Error(`no warehouse at ${dbPath}: run \`tally dev\` first, or pass --db <path>`);
  if (flags.db === undefined) {
    const dev = await readDevState(home.devStateFile);
    if (dev) {
      throw new Error(
        `tally dev is running (pid ${dev.pid}) and holds ${dbPath}: stop it with Ctrl-C, run tally erase, start it again`,
      );
    }
  }
  if (!existsSync(bucket))
    throw new Error(`no bucket folder at ${bucket}: pass --bucket <dir> (the local S3 bucket)`);
  const catalog = await loadFeatureCatalog(join(flags.schemas, 'features.json'));
  const warehouse = await createDuckDbWarehouse({ path: dbPath }).catch((cause: unknown) => {
    throw new Error(
      `cannot open ${dbPath} (is \`tally dev\` running? DuckDB allows one process): ${String(cause)}`,
    );
  });
  const library = loadSqlLibrary('duckdb', REPO_SQL_DIR);
  try {
    await applyPipelineDdl(warehouse, { library });
    const deps = {
      warehouse,
      library,
      objects: new FolderObjectStore(bucket),
      catalog,
      owner: `tally-erase-cli-${process.pid}`,
      ...(flags.now ? { clock: flags.now } : {}),
      onProgress: ({ step, message }: { step: string; message: string }) => print(`[${step}] ${message}`),
    };
    if (flags.pending) {
      const result = await runErasureJob(deps, {});
      print(scheduledRunLine(result));
      for (const failure of result.failed) print(`failed: ${failure.error}`);
      if (result.failed.length > 0) process.exitCode = 1;
      return;
    }
    const scope = flags.workspace === undefined ? 'every workspace' : `workspace ${flags.workspace}`;
    print(`erasing user ${flags.user} (${scope}) from ${dbPath} and ${bucket}`);
    const outcome = await eraseUser(deps, {
      userId: flags.user,
      workspaceId: flags.workspace ?? null,
      source: 'cli',
      requestedBy: flags.requestedBy ?? null,
    });
    print(describeOutcome(outcome));
  } finally {
    await warehouse.close();
  }
};

/** Registers `tally erase`. */
export const register = (program: Command): void => {
  program
    .command('erase')
    .description(
      'GDPR erasure in local mode: remove a user from every warehouse table and every raw object of the bucket ' +
        'folder, recompute the aggregates they fed, verify nothing is left, and record the request in ' +
        'ops.erasure_requests. Resumes an interrupted request; a second run for an erased user changes nothing.',
    )
    .option('--user <id>', 'the user id to erase')
    .option('--workspace <id>', "erase only the user's data in this workspace")
    .option(
      '--pending',
      'instead: sweep late events of erased users and finish open requests (the daily job)',
    )
    .option('--requested-by <who>', 'who asked (ticket, operator), kept with the request')
    .option('--db <path>', 'DuckDB warehouse file (default: <home>/warehouse.duckdb)')
    .option('--bucket <dir>', 'bucket folder (default: <home>/bucket)')
    .option('--home <dir>', 'local state folder (default: $TALLY_HOME or ./.tally)')
    .option('--schemas <dir>', 'folder holding features.json', 'schemas')
    .addHelpText(
      'after',
      '\nExamples:\n  tally erase --user usr_0001_0003\n  tally erase --user usr_0001_0003 --workspace ws_0001\n' +
        '  tally erase --pending\n\nStop `tally dev` first: DuckDB lets one process open the warehouse. ' +
        'See docs/ERASURE.md.',
    )
    .action((flags: EraseFlags) => runEraseCommand(flags, (line) => console.log(line)));
};
