import { WarehouseUnavailableError } from '#core/warehouse/errors.ts';
import { diskFullLine, formatBytes, freeBytes, isDiskFull, RUNNING_FIX } from './disk-full.ts';

export interface ProblemLogOptions {
  /** The state folder: the one a full disk is named by. */
  readonly root: string;
  /** Where lines go (the terminal). */
  readonly print: (line: string) => void;
  /** How often a lasting fault is said again, with what it caused meanwhile. @default 5000 */
  readonly intervalMs?: number;
}

/** What one kind of refusal caused within an interval. */
interface Tally {
  requests: number;
  reason: string;
}

/** Free space at which a disk that was full is said to have room again, failures or not. */
const ROOM_AGAIN_BYTES = 16 * 1024 * 1024;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The warehouse is being reopened (its start and end are said on their own): an expected failure meanwhile. */
const isWarehouseOutage = (error: unknown): boolean => {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; depth++) {
    if (e instanceof WarehouseUnavailableError) return true;
    e = e.cause;
  }
  return false;
};

/**
 * The terminal's account of what goes wrong in local mode, in a few lines however much goes wrong.
 * A lasting, known fault is said once when it starts and then once per interval with counts, never
 * once per failure: a full disk (from any stage: the stream, the validator's files, the loader, the
 * warehouse) as one line naming the folder, the free space and the fix, and then as the count of refused
 * requests and failed writes; a refused request (a 5xx the collector answers, e.g. while the warehouse is
 * reopened) as a count per code and reason; the stages' failures while the warehouse is being reopened
 * as one count per interval. Other problems pass through as `component: message`.
 */
export class ProblemLog {
  readonly #options: ProblemLogOptions;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  /** Disk-full failures since the last line, by what failed (`requests`, `loader`, ...); null when the disk has room. */
  #diskFull: Map<string, number> | null = null;
  #diskFullSaid = false;
  #refusals = new Map<string, Tally>();
  /** Failures while the warehouse is being reopened, by what failed, since the last line. */
  #outage = new Map<string, number>();

  constructor(options: ProblemLogOptions) {
    this.#options = options;
    this.#intervalMs = options.intervalMs ?? 5000;
  }

  /** A line as it is (a fault starting or ending, said once). */
  say(line: string): void {
    this.#options.print(line);
  }

  /** `component` failed with `error` (it retries by itself). */
  report(component: string, error: unknown): void {
    if (isDiskFull(error)) {
      this.#countDiskFull(component);
      return;
    }
    if (isWarehouseOutage(error)) {
      this.#outage.set(component, (this.#outage.get(component) ?? 0) + 1);
      this.#arm();
      return;
    }
    this.#options.print(`${component}: ${message(error)}`);
  }

  /** A line another thread wrote (it names what failed); a full disk is counted under `component`. */
  reportLine(component: string, line: string): void {
    if (isDiskFull(line)) this.#countDiskFull(component);
    else this.#options.print(line);
  }

  /** The collector answered a request with a server error (`code`, e.g. STREAM_UNAVAILABLE). */
  refused(code: string, status: number, reason: string, error: unknown): void {
    if (isDiskFull(error)) {
      this.#countDiskFull('requests refused with 503');
      return;
    }
    const key = `${status} ${code}`;
    const tally = this.#refusals.get(key);
    if (tally === undefined) {
      this.#refusals.set(key, { requests: 1, reason });
      this.#options.print(
        `collector: refusing requests with ${key}: ${reason} (counted, said again every ${this.#intervalMs / 1000} s)`,
      );
    } else {
      tally.requests += 1;
      tally.reason = reason;
    }
    this.#arm();
  }

  /** Says what is left to say (at stop). */
  async flush(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#tick(true);
  }

  #countDiskFull(what: string): void {
    if (this.#diskFull === null) {
      this.#diskFull = new Map();
      this.#diskFullSaid = false;
      void this.#sayDiskFull(
        'refusing events with 503 and retrying every stage until there is room; nothing acknowledged is lost',
      );
    }
    this.#diskFull.set(what, (this.#diskFull.get(what) ?? 0) + 1);
    this.#arm();
  }

  async #sayDiskFull(doing: string): Promise<void> {
    this.#diskFullSaid = true;
    this.#options.print(
      diskFullLine(this.#options.root, await freeBytes(this.#options.root), doing, RUNNING_FIX),
    );
  }

  #arm(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.#tick(false), this.#intervalMs);
    this.#timer.unref();
  }

  async #tick(final: boolean): Promise<void> {
    const seconds = this.#intervalMs / 1000;
    let active = false;
    for (const [key, tally] of this.#refusals) {
      if (tally.requests === 0) {
        this.#refusals.delete(key);
        continue;
      }
      active = true;
      this.#options.print(
        `collector: refused ${tally.requests.toLocaleString('en-US')} request(s) in the last ${seconds} s with ${key}: ${tally.reason}`,
      );
      tally.requests = 0;
    }
    if (this.#outage.size > 0) {
      active = true;
      const waiting = [...this.#outage].map(([what, n]) => `${what}: ${n.toLocaleString('en-US')}`);
      this.#outage = new Map();
      this.#options.print(
        `warehouse: waiting for it to be reopened; in the last ${seconds} s, ${waiting.join(', ')} (each retries by itself)`,
      );
    }
    const disk = this.#diskFull;
    if (disk !== null) {
      // failures from now on count towards the next line
      this.#diskFull = new Map();
      const failures = [...disk].map(([what, n]) => `${what}: ${n.toLocaleString('en-US')}`).join(', ');
      const free = await freeBytes(this.#options.root);
      if (disk.size > 0 && (free === null || free < ROOM_AGAIN_BYTES)) {
        active = true;
        this.#diskFullSaid = true;
        this.#options.print(
          diskFullLine(this.#options.root, free, `in the last ${seconds} s, ${failures}`, RUNNING_FIX),
        );
      } else {
        // a whole interval without a disk-full failure, or space was freed meanwhile
        this.#diskFull = null;
        if (this.#diskFullSaid) {
          this.#options.print(
            `disk: ${this.#options.root} has room again${free === null ? '' : ` (${formatBytes(free)} free)`}; every stage carries on` +
              (disk.size > 0 ? ` (in the last ${seconds} s, before that, ${failures})` : ''),
          );
        }
      }
    }
    if (!active && !final && this.#diskFull === null) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
