import { UNLOADABLE_LINE, unloadableLinesCheck } from '#core/quality/checks/unloadable-lines.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { toSqlTimestamp } from '#core/warehouse/time.ts';
import { buildCleanWarehouse, NOW, withFault } from '../support/clean-warehouse.ts';
import { bucket, failures, notPassing, runCheck } from '../support/run-check.ts';

/** A line the loader could not load, as it records one: the reason, its file and line, when it tried. */
const unloadable = (tx: Warehouse, file: string, line: number, minutesAgo: number) =>
  tx.execute(
    `INSERT INTO raw.rejected_events (reason_code, reason_message, received_at, raw_record, file_name, file_row, loaded_at)
     SELECT ?, 'event_ts is not an ISO-8601 timestamp with a zone', CAST(? AS TIMESTAMP), '{"event_ts":"+010000-01-01"}',
       ?, ?, CAST(? AS TIMESTAMP)`,
    [
      UNLOADABLE_LINE,
      toSqlTimestamp(new Date(NOW.getTime() - (minutesAgo + 1) * 60_000)),
      file,
      line,
      toSqlTimestamp(new Date(NOW.getTime() - minutesAgo * 60_000)),
    ],
  );

const EVENTS_FILE = 'events/dt=2024-03-12/hr=14/tally-events-1-2024-03-12-14-40-00-5d1e.json.gz';
const REJECTED_FILE = 'rejected/dt=2024-03-12/hr=14/tally-rejected-1-2024-03-12-14-41-00-77aa.json.gz';

describe('unloadable-lines', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await buildCleanWarehouse({ history: 'days' });
  });
  afterAll(() => warehouse.close());

  it('passes both prefixes when every line loaded', async () => {
    const run = await runCheck(warehouse, unloadableLinesCheck());

    expect(notPassing(run)).toEqual([]);
    expect(run.results.map((r) => [r.bucket, r.observed])).toEqual([
      ['prefix=events', 0],
      ['prefix=rejected', 0],
    ]);
  });

  it('fails on a single line the loader could not load, naming its file and line', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await unloadable(tx, EVENTS_FILE, 1042, 20);
      return runCheck(tx, unloadableLinesCheck());
    });

    expect(failures(run)).toEqual([['prefix=events', [`${EVENTS_FILE}#1042`]]]);
    expect(bucket(run, 'prefix=events')?.detail).toContain('1 line(s) of events/ files could not be loaded');
  });

  it('counts lines of rejected files under their own prefix', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await unloadable(tx, REJECTED_FILE, 3, 5);
      await unloadable(tx, REJECTED_FILE, 9, 5);
      return runCheck(tx, unloadableLinesCheck());
    });

    expect(failures(run)).toEqual([['prefix=rejected', [`${REJECTED_FILE}#3`, `${REJECTED_FILE}#9`]]]);
    expect(run.metrics.find((m) => m.dimensions.Prefix === 'rejected')?.value).toBe(2);
  });

  it('judges only the last hour of loads: an old line was paged on when it was loaded', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await unloadable(tx, EVENTS_FILE, 7, 90);
      return runCheck(tx, unloadableLinesCheck());
    });

    expect(failures(run)).toEqual([]);
  });

  it('counts no other reject reason', async () => {
    const run = await runCheck(warehouse, unloadableLinesCheck());

    // the clean warehouse holds SCHEMA_VIOLATION rejections in the last hour
    const [row] = await warehouse.query<{ n: bigint }>(
      "SELECT COUNT(*) AS n FROM raw.rejected_events WHERE reason_code = 'SCHEMA_VIOLATION' AND loaded_at > CAST(? AS TIMESTAMP)",
      [toSqlTimestamp(new Date(NOW.getTime() - 3_600_000))],
    );
    expect(Number(row?.n)).toBeGreaterThan(0);
    expect(failures(run)).toEqual([]);
  });
});
