import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Command } from 'commander';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { writeFileAtomic } from '#adapters/local/atomic-file.ts';
import { objectPath } from '#adapters/local/bucket-layout.ts';
import { BucketLoader } from '#adapters/local/bucket-loader.ts';
import { ensureLoadHistory } from '#adapters/local/load-history.ts';
import { register, runEraseCommand } from '#bin/commands/erase.ts';
import { applyPipelineDdl } from '#core/pipeline/pipeline-ddl.ts';
import { runIncremental } from '#core/warehouse/runner.ts';
import { startLocalStack } from '#local/local-stack.ts';
import { tallyHome } from '#local/tally-home.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { busiestUser, type WorkloadUser } from './support/oracle.ts';
import { type LandedWorkload, landWorkload } from './support/workload.ts';

const START = Date.parse('2025-03-31T00:00:00.000Z');

let workload: LandedWorkload;
let user: WorkloadUser;
let home: string;
let now: () => Date;

/** A `.tally` folder as `tally dev` leaves it: the bucket folder and the DuckDB file, loaded and transformed. */
const devHome = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'tally-home-'));
  for (const object of workload.objects) {
    await writeFileAtomic(
      objectPath(join(dir, 'bucket'), object.key),
      gzipSync(`${object.lines.join('\n')}\n`),
    );
  }
  const warehouse = await createDuckDbWarehouse({ path: join(dir, 'warehouse.duckdb'), threads: 1 });
  await applyPipelineDdl(warehouse, { library: duckdbSql });
  await ensureLoadHistory(warehouse);
  const at = workload.end + 600_000;
  await new BucketLoader({
    library: duckdbSql,
    warehouse,
    root: join(dir, 'bucket'),
    now: () => at,
  }).loadPending();
  await runIncremental({
    library: duckdbSql,
    warehouse,
    catalog: workload.catalog,
    clock: () => new Date(at + 60_000),
  });
  await warehouse.close();
  return dir;
};

const run = async (flags: Partial<Parameters<typeof runEraseCommand>[0]>): Promise<string[]> => {
  const lines: string[] = [];
  await runEraseCommand({ home, schemas: 'schemas', now, ...flags }, (line) => lines.push(line));
  return lines;
};

beforeAll(async () => {
  workload = await landWorkload(23, START, { eventsPerSecond: 0.002 });
  user = busiestUser(workload);
  now = () => new Date(workload.end + 3_600_000);
  home = await devHome();
}, 60_000);

describe('tally erase', () => {
  it('erases the user from the warehouse file and the bucket folder, printing each step and what was removed', async () => {
    const lines = await run({ user: user.id });

    expect(lines[0]).toBe(
      `erasing user ${user.id} (every workspace) from ${join(home, 'warehouse.duckdb')} and ${join(home, 'bucket')}`,
    );
    expect(lines.some((l) => l.startsWith('[suppress] added to the suppression list'))).toBe(true);
    expect(
      lines.some((l) => /^\[objects\] events\/dt=\d{4}-\d{2}-\d{2}\/: \d+ line\(s\) removed$/.test(l)),
    ).toBe(true);
    expect(lines.some((l) => l.startsWith('[warehouse] ') && l.includes('aggregates recomputed'))).toBe(true);
    expect(lines.at(-1)).toMatch(
      /^erasure [0-9a-f-]{36} completed: \d+ raw line\(s\) removed from \d+ object\(s\)/,
    );
    const warehouse = await createDuckDbWarehouse({ path: join(home, 'warehouse.duckdb') });
    const [left] = await warehouse.query<{ n: number }>(
      `SELECT count(*) AS n FROM raw.events WHERE user_id = '${user.id}'`,
    );
    await warehouse.close();
    expect(left?.n).toBe(0);
  });

  it('says the user is already erased, and writes nothing, the second time', async () => {
    const lines = await run({ user: user.id });

    expect(lines.at(-1)).toMatch(/^already erased by request [0-9a-f-]{36} on .*; nothing written$/);
  });

  it('runs the daily job with --pending', async () => {
    const lines = await run({ pending: true });

    expect(lines).toEqual(['sweep: 0 late event(s) of 0 erased id(s); 0 request(s) completed, 0 failed']);
  });

  it('asks for --user or --pending, not both and not neither', async () => {
    await expect(run({})).rejects.toThrow('give --user <id> to erase a user, or --pending');
    await expect(run({ user: 'u', pending: true })).rejects.toThrow(
      'give --user <id> to erase a user, or --pending',
    );
  });

  it('rejects an empty or padded user id before touching anything', async () => {
    await expect(run({ user: ' usr_1 ' })).rejects.toThrow('user id has leading or trailing spaces');
  });

  it('says where it looked when there is no warehouse', async () => {
    await expect(run({ user: user.id, home: join(home, 'nowhere') })).rejects.toThrow(
      `no warehouse at ${join(home, 'nowhere', 'warehouse.duckdb')}: run \`tally dev\` first, or pass --db <path>`,
    );
  });

  it('refuses to run while tally dev holds the warehouse', async () => {
    const running = tallyHome(await mkdtemp(join(tmpdir(), 'tally-home-')));
    const stack = await startLocalStack({ home: running, port: 0, logLevel: 'SILENT' });
    try {
      await expect(run({ user: user.id, home: running.root })).rejects.toThrow(
        `tally dev is running (pid ${process.pid}) and holds ${running.warehouseFile}: stop it with Ctrl-C`,
      );
    } finally {
      await stack.stop();
    }
  });

  it('is registered as a command with its options', () => {
    const program = new Command('tally');
    register(program);
    const erase = program.commands.find((c) => c.name() === 'erase');

    expect(erase?.options.map((o) => o.long)).toEqual([
      '--user',
      '--workspace',
      '--pending',
      '--requested-by',
      '--db',
      '--bucket',
      '--home',
      '--schemas',
    ]);
  });
});
