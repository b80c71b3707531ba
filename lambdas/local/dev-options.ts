import { LocalConfigError } from './errors.ts';
import type { DevOptions } from './run-dev.ts';
import { tallyHome } from './tally-home.ts';

/** `tally dev` options as commander hands them over (strings, unchecked). */
export interface RawDevOptions {
  readonly home?: string;
  readonly port: string;
  readonly schemas: string;
  readonly demo?: boolean;
  readonly seed: string;
  readonly demoDays: string;
  readonly demoRate: string;
  readonly transformEvery: string;
  readonly qualityEvery: string;
  readonly erasureEvery: string;
  readonly bufferSeconds: string;
  readonly statusEvery: string;
}

/** Checks every option and reports all problems at once (LocalConfigError). */
export const parseDevOptions = (raw: RawDevOptions, print: (line: string) => void): DevOptions => {
  const problems: string[] = [];
  const number = (flag: string, text: string, min: number, max: number, integer = true): number => {
    const value = Number(text);
    if (
      text.trim() === '' ||
      !Number.isFinite(value) ||
      (integer && !Number.isInteger(value)) ||
      value < min ||
      value > max
    ) {
      problems.push(
        `${flag} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(text)}`,
      );
      return min;
    }
    return value;
  };
  const options: DevOptions = {
    home: tallyHome(raw.home),
    port: number('--port', raw.port, 0, 65_535),
    schemasDir: raw.schemas,
    demo: raw.demo === true,
    seed: number('--seed', raw.seed, 0, 2 ** 31),
    demoDays: number('--demo-days', raw.demoDays, 0, 30),
    demoRate: number('--demo-rate', raw.demoRate, 0.01, 20_000, false),
    transformEverySeconds: number('--transform-every', raw.transformEvery, 5, 86_400),
    qualityEverySeconds: number('--quality-every', raw.qualityEvery, 0, 86_400),
    erasureEverySeconds: number('--erasure-every', raw.erasureEvery, 0, 86_400),
    bufferSeconds: number('--buffer-seconds', raw.bufferSeconds, 0.1, 900, false),
    statusEverySeconds: number('--status-every', raw.statusEvery, 0, 3_600),
    print,
  };
  if (problems.length > 0) throw new LocalConfigError(problems);
  return options;
};
