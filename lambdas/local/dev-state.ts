import { readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from '#adapters/local/atomic-file.ts';
import { DevAlreadyRunningError } from './errors.ts';

/** What a running `tally dev` publishes in `.tally/dev.json` for the other commands. */
export interface DevState {
  readonly pid: number;
  /** Collector endpoint. */
  readonly url: string;
  /** Loopback admin endpoint serving status and queries while the stack holds the warehouse. */
  readonly adminUrl: string;
  /** Bearer token for the admin endpoint (the file is readable by its owner only). */
  readonly token: string;
  readonly startedAt: string;
}

/** The state of a `tally dev` that is still alive, or null (no file, or its process is gone). */
export const readDevState = async (file: string): Promise<DevState | null> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return null;
  }
  return isDevState(parsed) && isAlive(parsed.pid) ? parsed : null;
};

const isDevState = (value: unknown): value is DevState => {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    Number.isInteger(v.pid) &&
    typeof v.url === 'string' &&
    typeof v.adminUrl === 'string' &&
    typeof v.token === 'string' &&
    typeof v.startedAt === 'string'
  );
};

/** Claims the state folder: fails when another live `tally dev` holds it. */
export const claimDevState = async (file: string): Promise<void> => {
  const running = await readDevState(file);
  if (running && running.pid !== process.pid) throw new DevAlreadyRunningError(running.pid, running.url);
};

export const writeDevState = (file: string, state: DevState): Promise<void> =>
  writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });

export const clearDevState = (file: string): Promise<void> => rm(file, { force: true });

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};
