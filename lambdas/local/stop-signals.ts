import { constants } from 'node:os';

export interface StopSignalsOptions {
  /** Where the "stopping" / "forced" lines go (the terminal). */
  readonly print: (line: string) => void;
  /**
   * Signals within this long of the first are copies of the same keypress: a terminal signals the
   * whole process group, and npm (`npm start`, `npx`) relays what it receives to its child as well.
   * @default 1500
   */
  readonly repeatWindowMs?: number;
  /** How a forced stop ends the process. @default process.exit */
  readonly exit?: (code: number) => void;
}

/**
 * How `tally dev` answers SIGINT and SIGTERM, listening from the moment it starts (a signal that
 * arrives while the stack is still starting is kept, and the stop follows once it is up):
 *
 * - the first asks for a clean stop ({@link requested} resolves with it);
 * - copies of it within the repeat window are ignored;
 * - a later one, while the stop is still running, exits at once with 128 + the signal's number
 *   (130 for SIGINT): what the clean stop had not finished is recovered by the next start, as after
 *   a crash;
 * - once the stop is done ({@link stopped}), further signals change nothing.
 */
export class StopSignals {
  readonly requested: Promise<NodeJS.Signals>;
  private firstAt = 0;
  private done = false;
  private resolveRequested: (signal: NodeJS.Signals) => void = () => undefined;
  private readonly repeatWindowMs: number;
  private readonly exit: (code: number) => void;

  constructor(private readonly options: StopSignalsOptions) {
    this.repeatWindowMs = options.repeatWindowMs ?? 1500;
    this.exit = options.exit ?? ((code) => process.exit(code));
    this.requested = new Promise((resolve) => {
      this.resolveRequested = resolve;
    });
  }

  /** Starts listening on this process. */
  listen(): this {
    process.on('SIGINT', this.receive);
    process.on('SIGTERM', this.receive);
    return this;
  }

  /** Stops listening: signals act the default way again (the stack never started). */
  close(): void {
    process.off('SIGINT', this.receive);
    process.off('SIGTERM', this.receive);
  }

  /** Whether a stop was asked for. */
  get stopRequested(): boolean {
    return this.firstAt > 0;
  }

  /** The clean stop is over: later signals are ignored (the process is about to exit on its own). */
  stopped(): void {
    this.done = true;
  }

  /** The handler, public so a test can deliver a signal without signalling its own process. */
  readonly receive = (signal: NodeJS.Signals): void => {
    if (this.done) return;
    const now = Date.now();
    if (this.firstAt === 0) {
      this.firstAt = now;
      this.resolveRequested(signal);
      return;
    }
    if (now - this.firstAt < this.repeatWindowMs) return;
    this.options.print(
      `${signal} again: exiting without finishing the stop (the next start recovers, as after a crash)`,
    );
    this.exit(128 + constants.signals[signal]);
  };
}
