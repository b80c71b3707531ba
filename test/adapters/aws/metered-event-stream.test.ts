import { readFileSync } from 'node:fs';
import { KinesisClient, PutRecordsCommand, type PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { KinesisEventStream } from '#adapters/aws/kinesis-stream.ts';
import { acceptedEventsMetrics, MeteredEventStream } from '#adapters/aws/metered-event-stream.ts';
import type { StreamRecord } from '#core/collector/ports.ts';
import { buildStreamRecords } from '#core/collector/stream-records.ts';
import type { IntakeFormat } from '#core/contract/envelope.ts';
import { MAX_EVENT_BYTES } from '#core/contract/limits.ts';
import { captureStdout } from '../../core/collector/support/http-app.ts';

const EVENTS = new URL('../../fixtures/events/', import.meta.url);
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, EVENTS), 'utf8')) as Record<string, unknown>;
const used = fixture('native-feature-used.json');
const track = fixture('segment-track.json');
const page = fixture('segment-page.json');

/** A minute ten minutes ago: EMF timestamps must be recent for CloudWatch to take them. */
const MINUTE = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
const at = (ms: number) => new Date(MINUTE + ms).toISOString();

const request = (
  sourceId: string,
  receivedAt: string,
  intake: IntakeFormat,
  events: readonly unknown[],
): readonly StreamRecord[] =>
  buildStreamRecords(
    { intake, events, wrapped: true },
    { sourceId, receivedAt, requestId: `req-${sourceId}-${receivedAt}` },
    MAX_EVENT_BYTES,
  ).records;

interface EmfDocument {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { Name: string; Unit: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

/** Publishes and returns the EMF documents written to stdout. */
const published = async (stream: MeteredEventStream): Promise<EmfDocument[]> => {
  const { output } = await captureStdout(async () => stream.publish());
  return output
    .split('\n')
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfDocument);
};

/** [SourceId, EventName, minute, AcceptedEvents] of each document, sorted. */
const counts = (docs: readonly EmfDocument[]) =>
  docs
    .map((d) => [d.SourceId, d.EventName, new Date(d._aws.Timestamp).toISOString(), d.AcceptedEvents])
    .sort((a, b) => String(a).localeCompare(String(b)));

const kinesis = mockClient(KinesisClient);
/** Kinesis takes every record except those at the given positions of the given call (1-based). */
const refuseOnCall = (refusals: ReadonlyMap<number, readonly number[]>) => {
  let call = 0;
  kinesis.on(PutRecordsCommand).callsFake((input: { Records: unknown[] }) => {
    const refused = refusals.get(++call) ?? [];
    const Records: PutRecordsResultEntry[] = input.Records.map((_, i) =>
      refused.includes(i)
        ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard' }
        : { SequenceNumber: `${call}-${i}`, ShardId: 'shardId-000000000000' },
    );
    return { FailedRecordCount: refused.length, Records };
  });
};
const meteredKinesis = () =>
  new MeteredEventStream(new KinesisEventStream(new KinesisClient({}), 'tally-raw'), acceptedEventsMetrics());

beforeEach(() => kinesis.reset());
afterAll(() => kinesis.restore());

describe('MeteredEventStream', () => {
  it('publishes AcceptedEvents in the Tally namespace, service collector, by SourceId and EventName', async () => {
    refuseOnCall(new Map());
    const stream = meteredKinesis();
    await stream.putRecords(request('web', at(10_250), 'native', [used]));

    const [doc, ...more] = await published(stream);

    expect(more).toEqual([]);
    expect(doc).toEqual({
      _aws: {
        Timestamp: MINUTE,
        CloudWatchMetrics: [
          {
            Namespace: 'Tally',
            Dimensions: [['service', 'SourceId', 'EventName']],
            Metrics: [{ Name: 'AcceptedEvents', Unit: 'Count' }],
          },
        ],
      },
      service: 'collector',
      SourceId: 'web',
      EventName: 'feature_used',
      AcceptedEvents: 1,
    });
  });

  it('sums per source, the event name the validator will assign, and the minute received', async () => {
    refuseOnCall(new Map());
    const stream = meteredKinesis();
    await stream.putRecords(request('web', at(10_250), 'native', [used, { ...used, event_id: 'b' }]));
    await stream.putRecords(request('web', at(59_999), 'segment', [track, page, { type: 'track' }]));
    await stream.putRecords(request('ios', at(60_000), 'native', [{ ...used, event: 'Odd Name' }]));

    expect(counts(await published(stream))).toEqual([
      ['ios', 'Odd%20Name', at(60_000), 1],
      ['web', '(none)', at(0), 1],
      ['web', 'feature_used', at(0), 3],
      ['web', 'page_viewed', at(0), 1],
    ]);
  });

  it('counts only the records Kinesis acknowledged, and a refused record once its retry is', async () => {
    refuseOnCall(new Map([[1, [1, 2]]]));
    const stream = meteredKinesis();
    const records = request('web', at(5_000), 'native', [used, { ...used, event_id: 'b' }, page]);

    const first = await stream.putRecords(records);
    const before = counts(await published(stream));
    await stream.putRecords([records[1]!]);

    expect(first.failed).toEqual([1, 2]);
    expect(before).toEqual([['web', 'feature_used', at(0), 1]]);
    expect(counts(await published(stream))).toEqual([['web', 'feature_used', at(0), 1]]);
  });

  it('counts copies of one event within a request once', async () => {
    refuseOnCall(new Map());
    const stream = meteredKinesis();

    await stream.putRecords(request('web', at(5_000), 'native', [used, used, used]));

    expect(counts(await published(stream))).toEqual([['web', 'feature_used', at(0), 1]]);
  });

  it('publishes nothing when Kinesis refused every record or rejected the call', async () => {
    refuseOnCall(new Map([[1, [0]]]));
    const refusing = meteredKinesis();
    const rejecting = new MeteredEventStream(
      { putRecords: () => Promise.reject(new Error('stream deleted')) },
      acceptedEventsMetrics(),
    );

    const result = await refusing.putRecords(request('web', at(5_000), 'native', [used]));
    await expect(rejecting.putRecords(request('web', at(5_000), 'native', [used]))).rejects.toThrow(
      'stream deleted',
    );

    expect(result.failed).toEqual([0]);
    expect(await published(refusing)).toEqual([]);
    expect(await published(rejecting)).toEqual([]);
  });

  it('publishes each invocation once: a second publish writes nothing', async () => {
    refuseOnCall(new Map());
    const stream = meteredKinesis();
    await stream.putRecords(request('web', at(5_000), 'native', [used]));
    await published(stream);

    expect(await published(stream)).toEqual([]);
  });
});
