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

/** What the admin endpoint's `GET /ping` answers: who is serving it. */
export interface DevIdentity {
  readonly pid: number;
  readonly startedAt: string;
}

/** How long a running stack has to answer the ping; a stack that cannot is treated as absent. */
const PING_TIMEOUT_MS = 5000;

/**
 * The `tally dev` that `dev.json` describes, if it is still running, else null (no file, or a file
 * left by a stack that was killed).
 *
 * A live pid proves nothing: a killed stack can linger as a zombie, and its pid can be reused by
 * any process. So the stack must prove it is alive: its admin endpoint, reached with the file's
 * token, answers with the file's pid and start time. That token is random per start, so neither a
 * zombie, nor a process that took the pid, nor a server that took the port can answer it. Starting
 * a stack relies on the warehouse file's lock instead (see `openWarehouseClaim`).
 */
export const readDevState = async (file: string): Promise<DevState | null> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return null;
  }
  if (!isDevState(parsed)) return null;
  const identity = await ping(parsed);
  return identity?.pid === parsed.pid && identity.startedAt === parsed.startedAt ? parsed : null;
};

const ping = async (state: DevState): Promise<DevIdentity | null> => {
  try {
    const response = await fetch(`${state.adminUrl}/ping`, {
      headers: { authorization: `Bearer ${state.token}` },
      signal: AbortSignal.timeout(PING_TIMEOUT_MS),
    });
    if (!response.ok) return null;
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null ? (body as DevIdentity) : null;
  } catch {
    // refused (nothing listens), reset, timed out or not JSON: not our stack
    return null;
  }
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

/**
 * Opens the warehouse file as a new stack's claim on its state folder. DuckDB takes an exclusive
 * lock on the file (`fcntl`) for as long as the process has it open, and the kernel drops the lock
 * when the process dies, so the lock is held exactly by a live holder: a killed stack (a zombie
 * too) or a pid reused by another process does not hold it. When another process does, the error
 * names it: the running `tally dev` with its endpoint when it proves itself, else the pid DuckDB
 * reports (a `tally query` reading the file, a DuckDB shell).
 */
export const openWarehouseClaim = async <W>(
  devStateFile: string,
  warehouseFile: string,
  open: () => Promise<W>,
): Promise<W> => {
  try {
    return await open();
  } catch (error) {
    const holder = lockHolder(error);
    if (holder === undefined) throw error;
    const running = await readDevState(devStateFile);
    throw new DevAlreadyRunningError(running?.pid ?? holder, running?.url ?? null, warehouseFile, error);
  }
};

/**
 * The pid in DuckDB's lock conflict (`Could not set lock on file "...": Conflicting lock is held in
 * <program> (PID 1234)`), null when the message names none, undefined when it is another error.
 */
const lockHolder = (error: unknown): number | null | undefined => {
  const text = error instanceof Error ? error.message : String(error);
  if (!/Could not set lock on file/i.test(text)) return undefined;
  const pid = /\(PID (\d+)\)/.exec(text)?.[1];
  return pid === undefined ? null : Number(pid);
};

export const writeDevState = (file: string, state: DevState): Promise<void> =>
  writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });

export const clearDevState = (file: string): Promise<void> => rm(file, { force: true });
