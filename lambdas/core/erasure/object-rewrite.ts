import { ObjectRewriteError } from './errors.ts';
import type { LineVerdict } from './line-matcher.ts';
import type { ObjectStore } from './ports.ts';

/** Decides one line of an object (SubjectMatcher.eventLine or .rejectedLine). */
export type LineJudge = (text: string) => LineVerdict;

/** What reading an object found. */
export interface ObjectScan {
  readonly key: string;
  /** False when the object is gone (deleted meanwhile). */
  readonly exists: boolean;
  readonly lines: number;
  /** The verdicts of the matching lines, in order. */
  readonly matches: readonly Extract<LineVerdict, { match: true }>[];
}

/** What rewriting an object did. */
export interface ObjectRewrite extends ObjectScan {
  /** unchanged: nothing matched; rewritten: the object now holds every other line; deleted: nothing was left. */
  readonly action: 'unchanged' | 'rewritten' | 'deleted';
}

const failure = (key: string, error: unknown): ObjectRewriteError =>
  error instanceof ObjectRewriteError ? error : new ObjectRewriteError(key, { cause: error });

/** Reads an object and reports the lines `judge` matches, changing nothing. */
export const scanObject = async (store: ObjectStore, key: string, judge: LineJudge): Promise<ObjectScan> => {
  try {
    const body = await store.read(key);
    if (body === null) return { key, exists: false, lines: 0, matches: [] };
    let lines = 0;
    const matches: Extract<LineVerdict, { match: true }>[] = [];
    for await (const line of store.lines(body)) {
      if (line.text === '') continue;
      lines += 1;
      const verdict = judge(line.text);
      if (verdict.match) matches.push(verdict);
    }
    return { key, exists: true, lines, matches };
  } catch (error) {
    throw failure(key, error);
  }
};

/**
 * Removes the lines `judge` matches from a gzip NDJSON object and keeps every other line byte for byte,
 * in order. An object without matches is left alone (one read); otherwise it is read again, the kept
 * lines gzipped as they stream, and the object replaced in one step, or deleted when nothing is left.
 * Idempotent: a second call finds no match and changes nothing. Old versions are the caller's to purge.
 * `beforeWrite` is told what is about to be written once the scan found matches (to record it first).
 */
export const rewriteObject = async (
  store: ObjectStore,
  key: string,
  judge: LineJudge,
  beforeWrite?: (scan: ObjectScan, action: 'rewritten' | 'deleted') => Promise<void>,
): Promise<ObjectRewrite> => {
  const scan = await scanObject(store, key, judge);
  if (!scan.exists || scan.matches.length === 0) return { ...scan, action: 'unchanged' };
  await beforeWrite?.(scan, scan.lines === scan.matches.length ? 'deleted' : 'rewritten');
  try {
    const body = await store.read(key);
    if (body === null) return { ...scan, exists: false, action: 'unchanged' };
    const out = store.writer();
    let kept = 0;
    for await (const line of store.lines(body)) {
      if (line.text !== '' && judge(line.text).match) continue;
      if (line.text !== '') kept += 1;
      await out.write(line);
    }
    const gz = await out.finish();
    if (kept === 0) {
      await store.delete(key);
      return { ...scan, action: 'deleted' };
    }
    await store.replace(key, gz);
    return { ...scan, action: 'rewritten' };
  } catch (error) {
    throw failure(key, error);
  }
};
