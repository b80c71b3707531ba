/**
 * The real validator thread, made to end abruptly once: when a `crash-once` file sits next to
 * its checkpoint, this thread deletes it and exits with code 3 shortly after starting, as a
 * thread hitting a fatal bug would. The thread started after it runs normally.
 */
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { workerData } from 'node:worker_threads';

const { checkpointFile } = (workerData as { config: { checkpointFile: string } }).config;
const marker = join(dirname(checkpointFile), 'crash-once');
if (existsSync(marker)) {
  rmSync(marker);
  setTimeout(() => process.exit(3), 300);
}
await import('../../../lambdas/local/validator-worker.ts');
