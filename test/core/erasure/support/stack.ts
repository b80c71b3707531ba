import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { writeFileAtomic } from '#adapters/local/atomic-file.ts';
import { objectPath } from '#adapters/local/bucket-layout.ts';
import { BucketLoader } from '#adapters/local/bucket-loader.ts';
import { FolderObjectStore } from '#adapters/local/folder-object-store.ts';
import { ensureLoadHistory } from '#adapters/local/load-history.ts';
import type { ErasureDeps } from '#core/erasure/erasure-runner.ts';
import type { ObjectStore } from '#core/erasure/ports.ts';
import type { FeatureCatalog } from '#core/schema/feature-catalog.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { runIncremental } from '#core/warehouse/runner.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { freshWarehouse, preparedWarehouses } from '#test/support/warehouse-db.ts';
import type { WorkloadObject } from './workload.ts';

/** The local stack of one test: the bucket folder, its store, and a DuckDB warehouse fed from it. */
export interface LocalStack {
  readonly root: string;
  readonly store: FolderObjectStore;
  readonly warehouse: Warehouse;
  readonly catalog: FeatureCatalog;
  /** Writes objects into the bucket (as Firehose delivers them), loads what is new and runs the transform. */
  land(objects: readonly WorkloadObject[], at: number): Promise<void>;
  /** An incremental transform run with the clock at `at`. */
  transform(at: number): Promise<void>;
  /** Every object of the bucket, decompressed, by key. */
  contents(): Promise<Map<string, string>>;
  /** Erasure dependencies over this stack with the clock at `at`; `objects` replaces the store (fault injection). */
  deps(at: number, extra?: Partial<ErasureDeps> & { objects?: ObjectStore }): ErasureDeps;
  close(): Promise<void>;
}

/** Options of a local stack: DDL its models need besides the warehouse and erasure tables. */
export interface StackOptions {
  readonly ddl?: (warehouse: Warehouse) => Promise<void>;
}

/** A bucket folder and an in-memory DuckDB with the warehouse and erasure tables, nothing landed yet. */
export const localStack = async (
  catalog: FeatureCatalog,
  options: StackOptions = {},
): Promise<LocalStack> => {
  const root = await mkdtemp(join(tmpdir(), 'tally-erasure-stack-'));
  const warehouse = await freshWarehouse();
  await ensureLoadHistory(warehouse);
  await options.ddl?.(warehouse);
  return stackOver(catalog, root, warehouse);
};

/**
 * Lands `objects` once, at `at`, and returns a maker of stacks that each start from their own copy of that
 * landed state (the bucket folder copied, the warehouse copied by preparedWarehouses): landing and
 * transforming the workload takes seconds, a copy a tenth of one, and each test still erases on a stack of
 * its own.
 */
export const landedStacks = async (
  catalog: FeatureCatalog,
  objects: readonly WorkloadObject[],
  at: number,
  options: StackOptions = {},
): Promise<() => Promise<LocalStack>> => {
  const bucket = await mkdtemp(join(tmpdir(), 'tally-erasure-bucket-'));
  const warehouses = await preparedWarehouses(async (warehouse) => {
    await ensureLoadHistory(warehouse);
    await options.ddl?.(warehouse);
    await stackOver(catalog, bucket, warehouse).land(objects, at);
  });
  return async () => {
    const root = await mkdtemp(join(tmpdir(), 'tally-erasure-stack-'));
    await cp(bucket, root, { recursive: true, preserveTimestamps: true });
    return stackOver(catalog, root, await warehouses());
  };
};

/** The stack over a bucket folder and a warehouse that has its tables already. */
const stackOver = (catalog: FeatureCatalog, root: string, warehouse: Warehouse): LocalStack => {
  const store = new FolderObjectStore(root);
  const transform = async (at: number): Promise<void> => {
    await runIncremental({ library: duckdbSql, warehouse, catalog, clock: () => new Date(at) });
  };
  return {
    root,
    store,
    warehouse,
    catalog,
    land: async (objects, at) => {
      for (const object of objects) {
        if (object.lines.length === 0) continue;
        await writeFileAtomic(objectPath(root, object.key), gzipSync(`${object.lines.join('\n')}\n`));
      }
      const loader = new BucketLoader({ library: duckdbSql, warehouse, root, now: () => at });
      await loader.loadPending();
      await transform(at + 60_000);
    },
    transform,
    contents: async () => {
      const out = new Map<string, string>();
      for (const prefix of ['events/', 'rejected/']) {
        for (const key of await store.list(prefix)) {
          out.set(key, gunzipSync(await readFile(objectPath(root, key))).toString('utf8'));
        }
      }
      return out;
    },
    deps: (at, extra = {}) => ({
      warehouse,
      objects: store,
      catalog,
      library: duckdbSql,
      clock: () => new Date(at),
      sleep: async () => undefined,
      ...extra,
    }),
    close: () => warehouse.close(),
  };
};
