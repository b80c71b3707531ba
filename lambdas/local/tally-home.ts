import { join, resolve } from 'node:path';

/**
 * Where local mode keeps its state, all under one folder (`.tally/` in the working
 * directory by default, `TALLY_HOME` or `--home` to move it):
 *
 * ```
 * .tally/
 *   stream/00000000000000000000.log   durable local stream (segment files)
 *   stream/checkpoints/validator.json  how far the validator has consumed it
 *   bucket/events/dt=YYYY-MM-DD/hr=HH/*.json.gz    validated events (local Firehose)
 *   bucket/rejected/dt=YYYY-MM-DD/hr=HH/*.json.gz  rejected events
 *   warehouse.duckdb                   the local warehouse (raw, curated, ops)
 *   write-keys.json                    write-key digests per source (same document as the SSM parameter)
 *   write-keys.local.json              the plain keys, for local clients and the demo (never deployed)
 *   dev.json                           the running `tally dev`: pid, endpoint, admin endpoint and token
 *   demo.json                          how far `tally dev --demo` got (seed, time acknowledged up to)
 * ```
 */
export interface TallyHome {
  readonly root: string;
  readonly streamDir: string;
  readonly validatorCheckpoint: string;
  readonly bucketDir: string;
  readonly warehouseFile: string;
  readonly writeKeysFile: string;
  readonly plainWriteKeysFile: string;
  readonly devStateFile: string;
  readonly demoStateFile: string;
}

/** Environment variable that moves the local state folder. */
export const TALLY_HOME_ENV = 'TALLY_HOME';

/** The layout under `root` (default: `TALLY_HOME`, else `.tally` in the working directory). */
export const tallyHome = (
  root?: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): TallyHome => {
  const base = resolve(root ?? env[TALLY_HOME_ENV] ?? '.tally');
  return {
    root: base,
    streamDir: join(base, 'stream'),
    validatorCheckpoint: join(base, 'stream', 'checkpoints', 'validator.json'),
    bucketDir: join(base, 'bucket'),
    warehouseFile: join(base, 'warehouse.duckdb'),
    writeKeysFile: join(base, 'write-keys.json'),
    plainWriteKeysFile: join(base, 'write-keys.local.json'),
    devStateFile: join(base, 'dev.json'),
    demoStateFile: join(base, 'demo.json'),
  };
};
