import { dayPartition, type RawPrefixName } from '#core/contract/bucket-layout.ts';
import { addDays, parseSqlDate, toSqlDate } from '#core/warehouse/time.ts';
import type { ObjectStore } from './ports.ts';
import type { ScanRange } from './request-record.ts';

/** The bucket's two prefixes of raw objects: validated events and rejected events. */
export const RAW_OBJECT_PREFIXES: readonly RawPrefixName[] = ['events', 'rejected'];
export type RawObjectPrefix = RawPrefixName;

/** One dt= partition of one prefix, e.g. `events/dt=2025-03-04/`. */
export interface Partition {
  readonly prefix: RawObjectPrefix;
  readonly day: string;
  readonly path: string;
}

const days = (from: string, to: string): string[] => {
  const out: string[] = [];
  const end = parseSqlDate(to);
  for (let day = parseSqlDate(from); day && end && day <= end; day = addDays(day, 1))
    out.push(toSqlDate(day));
  return out;
};

/**
 * The partitions the objects step reads, in a fixed order (so a cursor can resume): every day of the
 * subject's activity and of the recent days, each as `events/` then `rejected/`. Objects are partitioned
 * by arrival (Firehose), so an event lies in the partition of its receipt day or the day before.
 */
export const scanPartitions = (scan: ScanRange): Partition[] => {
  const all = new Set([
    ...(scan.from && scan.to ? days(scan.from, scan.to) : []),
    ...days(scan.recentFrom, scan.recentTo),
  ]);
  return [...all]
    .sort()
    .flatMap((day) =>
      RAW_OBJECT_PREFIXES.map((prefix) => ({ prefix, day, path: dayPartition(prefix, day) })),
    );
};

/**
 * Every object of the scan's partitions, listed once, in partition order: what the fanned-out steps hand to
 * the queue (the objects pass, and each verification pass, which so sees the objects landed since).
 */
export const listScanObjects = async (objects: ObjectStore, scan: ScanRange | null): Promise<string[]> => {
  const keys: string[] = [];
  for (const partition of scan ? scanPartitions(scan) : [])
    keys.push(...(await objects.list(partition.path)));
  return keys;
};
