/** A job the local scheduler runs on an interval (the local stand-in for an EventBridge schedule). */
export interface ScheduledJob {
  readonly name: string;
  readonly intervalMs: number;
  /**
   * Runs once; a summary for the status line, or throws. `signal` is aborted when the scheduler stops: a
   * long job ends early (rolling back) instead of holding up the shutdown.
   */
  readonly run: (signal: AbortSignal) => Promise<string>;
  /** Run once right at start instead of after the first interval. @default false */
  readonly runAtStart?: boolean;
}

export interface JobStatus {
  readonly name: string;
  readonly runs: number;
  readonly failures: number;
  readonly running: boolean;
  readonly lastStartedAt: Date | null;
  readonly lastFinishedAt: Date | null;
  readonly lastSucceededAt: Date | null;
  readonly lastDurationMs: number | null;
  readonly lastSummary: string | null;
  readonly lastError: string | null;
}

interface JobState {
  job: ScheduledJob;
  timer: NodeJS.Timeout | undefined;
  running: Promise<void> | null;
  status: Omit<JobStatus, 'name' | 'running'>;
}

/**
 * Runs jobs on fixed intervals in-process. A job never overlaps itself: a tick that finds
 * the previous run still going is skipped (EventBridge would start a second Lambda, which
 * the model runner's lock then turns away; skipping is the same outcome, cheaper).
 */
export class Scheduler {
  private readonly jobs = new Map<string, JobState>();
  private stopped = false;
  private readonly stopping = new AbortController();

  constructor(
    jobs: readonly ScheduledJob[],
    private readonly onError?: (job: string, error: unknown) => void,
  ) {
    for (const job of jobs) {
      this.jobs.set(job.name, {
        job,
        timer: undefined,
        running: null,
        status: {
          runs: 0,
          failures: 0,
          lastStartedAt: null,
          lastFinishedAt: null,
          lastSucceededAt: null,
          lastDurationMs: null,
          lastSummary: null,
          lastError: null,
        },
      });
    }
  }

  start(): void {
    for (const state of this.jobs.values()) {
      state.timer = setInterval(() => void this.trigger(state), state.job.intervalMs);
      state.timer.unref();
      if (state.job.runAtStart) void this.trigger(state);
    }
  }

  /** Runs a job now (or waits for the run in progress) and resolves when it is done. */
  async runNow(name: string): Promise<JobStatus> {
    const state = this.jobs.get(name);
    if (!state) throw new RangeError(`no scheduled job named ${name}`);
    if (state.running) await state.running;
    await this.trigger(state);
    return this.statusOf(state);
  }

  /** Stops the timers, asks the runs in progress to end early and waits for them. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const state of this.jobs.values()) clearInterval(state.timer);
    this.stopping.abort(new Error('the scheduler is stopping'));
    await Promise.all([...this.jobs.values()].map((s) => s.running));
  }

  get status(): JobStatus[] {
    return [...this.jobs.values()].map((s) => this.statusOf(s));
  }

  private trigger(state: JobState): Promise<void> {
    if (state.running || this.stopped) return state.running ?? Promise.resolve();
    state.running = this.execute(state).finally(() => {
      state.running = null;
    });
    return state.running;
  }

  private async execute(state: JobState): Promise<void> {
    const started = new Date();
    state.status = { ...state.status, lastStartedAt: started };
    try {
      const summary = await state.job.run(this.stopping.signal);
      const finished = new Date();
      state.status = {
        ...state.status,
        runs: state.status.runs + 1,
        lastFinishedAt: finished,
        lastSucceededAt: finished,
        lastDurationMs: finished.getTime() - started.getTime(),
        lastSummary: summary,
        lastError: null,
      };
    } catch (error) {
      const finished = new Date();
      state.status = {
        ...state.status,
        runs: state.status.runs + 1,
        failures: state.status.failures + 1,
        lastFinishedAt: finished,
        lastDurationMs: finished.getTime() - started.getTime(),
        lastError: error instanceof Error ? error.message : String(error),
      };
      // a run cut short by the stop is expected, not a problem to report
      if (!this.stopping.signal.aborted) this.onError?.(state.job.name, error);
    }
  }

  private statusOf(state: JobState): JobStatus {
    return { name: state.job.name, running: state.running !== null, ...state.status };
  }
}
