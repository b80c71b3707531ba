/**
 * The real validator thread, made to end abruptly once: when a `crash-once` file sits next to
 * its checkpoint, this thread deletes it and exits with code 3 shortly after it reported ready
 * (so the crash lands mid-run, however slow the start), as a thread hitting a fatal bug would.
 * The thread started after it runs normally.
 */
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

const { checkpointFile } = (workerData as { config: { checkpointFile: string } }).config;
const marker = join(dirname(checkpointFile), 'crash-once');
const port = parentPort;
if (port !== null && existsSync(marker)) {
  rmSync(marker);
  const post = port.postMessage.bind(port);
  port.postMessage = (message: { type?: string }) => {
    post(message);
    if (message.type === 'ready') setTimeout(() => process.exit(3), 150);
  };
}
await import('../../../lambdas/local/validator-worker.ts');
