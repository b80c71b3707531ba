import type { RejectedLine } from '#core/contract/envelope.ts';
import type { LineSink, SinkWriteResult } from '#core/validator/ports.ts';
import { type BatchDeps, processKinesisBatch, type RecordValidation } from '#core/validator/process-batch.ts';
import { type StreamedRecord, toStreamedRecord } from '#core/validator/streamed-record.ts';

/** A sink that keeps what it stores and refuses the lines (by position in a write) it is told to. */
class MemorySink implements LineSink {
  readonly stored: string[] = [];
  readonly writes: (readonly string[])[] = [];
  constructor(
    private readonly refuse: (line: string) => boolean = () => false,
    private readonly failure?: Error,
  ) {}

  async write(lines: readonly string[]): Promise<SinkWriteResult> {
    this.writes.push(lines);
    if (this.failure) throw this.failure;
    const failed: number[] = [];
    lines.forEach((line, index) => {
      if (this.refuse(line)) failed.push(index);
      else this.stored.push(line);
    });
    return { failed };
  }
}

/**
 * A transparent stand-in for validateRecord, so these tests show only what the batch does with
 * verdicts: `{"ok":...}` records pass, anything else is rejected as MALFORMED_JSON.
 */
const validate = (text: string, arrivedAt: string): RecordValidation =>
  text.startsWith('{"ok"')
    ? { ok: true, line: `{"event":${text},"at":"${arrivedAt}","lineage":${JSON.stringify(LINEAGE)}}` }
    : {
        ok: false,
        line: JSON.stringify({ reason: { code: 'MALFORMED_JSON' }, raw_record: text, lineage: LINEAGE }),
        reason: { code: 'MALFORMED_JSON', message: 'not JSON' },
      };
const LINEAGE = { validator_build: 'test-build', dedup_algo: 'v1', schema_version: '1-0-0' };

const AT = '2026-03-01T10:00:00.000Z';
const record = (sequenceNumber: string, data: string): StreamedRecord => ({
  sequenceNumber,
  data,
  arrivedAt: AT,
});

describe('processKinesisBatch', () => {
  let events: MemorySink;
  let rejected: MemorySink;
  const deps = (overrides: Partial<BatchDeps> = {}): BatchDeps => ({
    validate,
    events,
    rejected,
    ...overrides,
  });
  beforeEach(() => {
    events = new MemorySink();
    rejected = new MemorySink();
  });

  it('sends good events to the events sink and bad ones to the rejected sink, in stream order', async () => {
    const records = [record('1', '{"ok":1}'), record('2', 'oops'), record('3', '{"ok":3}')];

    const result = await processKinesisBatch(records, deps());

    expect(events.writes.map((lines) => lines.map((line) => JSON.parse(line).event))).toEqual([
      [{ ok: 1 }, { ok: 3 }],
    ]);
    expect(rejected.stored.map((line) => JSON.parse(line).raw_record)).toEqual(['oops']);
    expect(result.batchItemFailures).toEqual([]);
    expect(result.counts).toEqual({
      validated: 2,
      rejected: { MALFORMED_JSON: 1 },
      sinkFailures: 0,
      validatorErrors: 0,
    });
  });

  it('reports the record whose event line the events sink did not store', async () => {
    events = new MemorySink((line) => line.includes('"ok":2'));
    const records = [record('1', '{"ok":1}'), record('2', '{"ok":2}'), record('3', 'bad')];

    const result = await processKinesisBatch(records, deps());

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '2' }]);
    expect(result.counts).toEqual({
      validated: 1,
      rejected: { MALFORMED_JSON: 1 },
      sinkFailures: 1,
      validatorErrors: 0,
    });
  });

  it('reports the record whose rejected line the rejected sink did not store', async () => {
    rejected = new MemorySink((line) => line.includes('bad-2'));
    const records = [record('1', 'bad-1'), record('2', 'bad-2'), record('3', '{"ok":3}')];

    const result = await processKinesisBatch(records, deps());

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '2' }]);
    expect(result.counts).toEqual({
      validated: 1,
      rejected: { MALFORMED_JSON: 1 },
      sinkFailures: 1,
      validatorErrors: 0,
    });
  });

  it('reports every record of a sink that threw, keeps the error, and still stores the other sink', async () => {
    const outage = new Error('delivery stream gone');
    events = new MemorySink(undefined, outage);
    const records = [record('1', '{"ok":1}'), record('2', 'bad'), record('3', '{"ok":3}')];

    const result = await processKinesisBatch(records, deps());

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '1' }, { itemIdentifier: '3' }]);
    expect(rejected.stored).toHaveLength(1);
    expect(result.errors).toEqual([{ stage: 'events', lines: 2, error: outage }]);
    expect(result.counts).toEqual({
      validated: 0,
      rejected: { MALFORMED_JSON: 1 },
      sinkFailures: 2,
      validatorErrors: 0,
    });
  });

  it('reports a record the validator threw on and stores the rest of the batch', async () => {
    const bug = new TypeError('cannot read properties of undefined');
    const throwing = (text: string, arrivedAt: string) => {
      if (text === 'crash') throw bug;
      return validate(text, arrivedAt);
    };
    const records = [record('1', '{"ok":1}'), record('2', 'crash'), record('3', 'bad')];

    const result = await processKinesisBatch(records, deps({ validate: throwing }));

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '2' }]);
    expect(events.stored).toHaveLength(1);
    expect(rejected.stored).toHaveLength(1);
    expect(result.errors).toEqual([{ stage: 'validate', sequenceNumber: '2', error: bug }]);
    expect(result.counts).toEqual({
      validated: 1,
      rejected: { MALFORMED_JSON: 1 },
      sinkFailures: 0,
      validatorErrors: 1,
    });
  });

  it('lists each failed record once, in stream order, when both sinks fail', async () => {
    events = new MemorySink(() => true);
    rejected = new MemorySink(() => true);
    const records = [record('9', 'bad'), record('10', '{"ok":1}'), record('11', 'bad')];

    const result = await processKinesisBatch(records, deps());

    expect(result.batchItemFailures).toEqual([
      { itemIdentifier: '9' },
      { itemIdentifier: '10' },
      { itemIdentifier: '11' },
    ]);
    expect(result.counts).toEqual({ validated: 0, rejected: {}, sinkFailures: 3, validatorErrors: 0 });
  });

  it('rejects a record that is not UTF-8 as MALFORMED_RECORD, keeping its exact bytes', async () => {
    // "{"ok":"caf\xe9"}": Latin-1 é, which UTF-8 decoding would turn into U+FFFD.
    const bytes = Uint8Array.from([...Buffer.from('{"ok":"caf'), 0xe9, ...Buffer.from('"}')]);
    const records = [toStreamedRecord('1', bytes, AT)];

    const result = await processKinesisBatch(records, deps());

    expect(events.stored).toEqual([]);
    const line: RejectedLine & { raw_record_base64: string } = JSON.parse(rejected.stored[0]!);
    expect(line.reason.code).toBe('MALFORMED_RECORD');
    expect(Buffer.from(line.raw_record_base64, 'base64')).toEqual(Buffer.from(bytes));
    expect(line.raw_record).toBe('{"ok":"caf\uFFFD"}');
    expect(line.lineage).toEqual({ validator_build: 'test-build', dedup_algo: 'v1', schema_version: null });
    expect(result.counts.rejected).toEqual({ MALFORMED_RECORD: 1 });
  });

  it('writes to no sink for an empty batch', async () => {
    const result = await processKinesisBatch([], deps());

    expect(events.writes).toEqual([]);
    expect(rejected.writes).toEqual([]);
    expect(result).toEqual({
      batchItemFailures: [],
      counts: { validated: 0, rejected: {}, sinkFailures: 0, validatorErrors: 0 },
      errors: [],
    });
  });
});
