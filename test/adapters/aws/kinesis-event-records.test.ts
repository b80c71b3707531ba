import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KinesisStreamEvent } from 'aws-lambda';
import { toStreamedRecords } from '#adapters/aws/kinesis-event-records.ts';

const event: KinesisStreamEvent = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/validator/kinesis-stream-event.json'), 'utf8'),
);

describe('toStreamedRecords', () => {
  it('decodes each record from base64 and keeps its sequence number', () => {
    const [first] = toStreamedRecords(event);

    expect(first?.sequenceNumber).toBe(event.Records[0]!.kinesis.sequenceNumber);
    expect(first?.data.split('\n')[0]).toBe(
      '{"v":1,"source_id":"src_web_app","received_at":"2026-03-02T09:15:04.512Z","request_id":"req-7f3a9c","intake":"native"}',
    );
  });

  it('turns the approximate arrival time (epoch seconds) into ISO-8601 with milliseconds', () => {
    const records = toStreamedRecords(event);

    expect(records.map((r) => r.arrivedAt)).toEqual([
      '2026-03-02T09:15:04.589Z',
      '2026-03-02T09:15:04.590Z',
      '2026-03-02T09:15:04.591Z',
      '2026-03-02T09:15:04.592Z',
      '2026-03-02T09:15:04.593Z',
    ]);
  });

  it('marks only the record whose bytes are not UTF-8, keeping them in base64', () => {
    const records = toStreamedRecords(event);

    expect(records.map((r) => r.rawBase64 !== undefined)).toEqual([false, false, false, false, true]);
    expect(records[4]?.rawBase64).toBe(event.Records[4]!.kinesis.data);
  });
});
