// Local mode runs from TypeScript sources through tsx; a worker thread does not inherit the
// parent's loader hooks, so it registers tsx itself before importing its TypeScript entry.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
