import { KinesisClient, PutRecordsCommand, type PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { COLLECTOR_ENV } from '#core/collector/config.ts';
import { hashWriteKey } from '#core/collector/write-key.ts';
import { captureStdout, context, fixture, jsonBody } from '../core/collector/support/http-app.ts';

const kinesis = mockClient(KinesisClient);
const ssm = mockClient(SSMClient);

beforeAll(() => {
  process.env[COLLECTOR_ENV.streamName] = 'tally-raw-events';
  process.env[COLLECTOR_ENV.writeKeysParameter] = '/tally/test/write-keys';
  process.env.AWS_REGION = 'eu-west-1';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});
beforeEach(() => {
  kinesis.reset();
  ssm.reset();
  ssm.on(GetParameterCommand).resolves({
    Parameter: {
      Value: JSON.stringify({ keys: [{ source_id: 'web', key_sha256: hashWriteKey('wk_web_3f9a1c') }] }),
    },
  });
});
afterAll(() => {
  kinesis.restore();
  ssm.restore();
});

/** Kinesis stores every record but the one with `refusedKey`: always, or (`onFirstCallOnly`) on the first call. */
const kinesisRefusing = (refusedKey: string, onFirstCallOnly: boolean) => {
  let calls = 0;
  kinesis.on(PutRecordsCommand).callsFake((input: { Records: { PartitionKey: string }[] }) => {
    const refusing = !onFirstCallOnly || ++calls === 1;
    const Records: PutRecordsResultEntry[] = input.Records.map((r, i) =>
      refusing && r.PartitionKey === refusedKey
        ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard' }
        : { SequenceNumber: String(i), ShardId: 'shardId-000000000000' },
    );
    return { FailedRecordCount: Records.filter((r) => r.ErrorCode).length, Records };
  });
};
/** The partition key (messageId) of the identify call in the segment batch fixture. */
const IDENTIFY_KEY = '7c1a9d3e-3b8f-4f0a-8d3e-0b9c6d5a4e21';

/** Invokes the handler on the segment batch fixture; its status and the AcceptedEvents it published. */
const invokeMetered = async () => {
  const { handler } = await import('../../lambdas/handlers/collector.ts');
  const event = await fixture('segment-batch.json');
  const { result, output } = await captureStdout(async () => handler(event, context()));
  const accepted = output
    .split('\n')
    .filter((line) => line.includes('"AcceptedEvents"'))
    .map((line) => JSON.parse(line) as Record<string, unknown> & { _aws: { Timestamp: number } });
  return { statusCode: (result as APIGatewayProxyStructuredResultV2).statusCode, accepted };
};

describe('collector Lambda handler (lambdas/handlers/collector.ts)', () => {
  it('reads keys from the SSM parameter and puts the events on the Kinesis stream named in the environment', async () => {
    ssm.on(GetParameterCommand).resolves({
      Parameter: {
        Value: JSON.stringify({ keys: [{ source_id: 'web', key_sha256: hashWriteKey('wk_web_3f9a1c') }] }),
      },
    });
    kinesis.on(PutRecordsCommand).resolves({
      FailedRecordCount: 0,
      Records: [
        { SequenceNumber: '1', ShardId: 'shardId-000000000000' },
        { SequenceNumber: '2', ShardId: 'shardId-000000000000' },
      ],
    });
    const { handler } = await import('../../lambdas/handlers/collector.ts');

    const event = await fixture('segment-batch.json');
    const { result } = await captureStdout(async () => handler(event, context()));
    const response = result as APIGatewayProxyStructuredResultV2;

    expect(response.statusCode).toBe(200);
    expect(jsonBody(response)).toEqual({ received: 2, accepted: 2, rejected: [] });
    expect(ssm.commandCalls(GetParameterCommand).map((c) => c.args[0].input)).toEqual([
      { Name: '/tally/test/write-keys', WithDecryption: true },
    ]);
    const puts = kinesis.commandCalls(PutRecordsCommand).map((c) => c.args[0].input);
    expect(puts).toHaveLength(1);
    expect(puts[0]?.StreamName).toBe('tally-raw-events');
    expect(puts[0]?.Records?.map((r) => r.PartitionKey)).toEqual([
      '0d6b5c1e-1f5e-4c39-9a51-6f2f8a0f3c11',
      '7c1a9d3e-3b8f-4f0a-8d3e-0b9c6d5a4e21',
    ]);
  });

  it('gives its Kinesis client one attempt per attempt of the stream writer, whose retries are the only ones', async () => {
    let sdkAttempts: number | undefined;
    kinesis.on(PutRecordsCommand).callsFake(async (input: { Records: unknown[] }, getClient) => {
      sdkAttempts = await getClient().config.maxAttempts();
      return {
        FailedRecordCount: 0,
        Records: input.Records.map((_, i) => ({
          SequenceNumber: String(i),
          ShardId: 'shardId-000000000000',
        })),
      };
    });

    const { statusCode } = await invokeMetered();

    expect(statusCode).toBe(200);
    expect(sdkAttempts).toBe(1);
  });

  it('publishes AcceptedEvents for what Kinesis stored, a record stored on retry once, at the minute received', async () => {
    kinesisRefusing(IDENTIFY_KEY, true);
    const before = Math.floor(Date.now() / 60_000) * 60_000;

    const { statusCode, accepted } = await invokeMetered();

    expect(statusCode).toBe(200);
    expect(kinesis.commandCalls(PutRecordsCommand)).toHaveLength(2);
    expect(accepted.map((d) => [d.SourceId, d.EventName, d.AcceptedEvents]).sort()).toEqual([
      ['web', 'comment_added', 1],
      ['web', 'identify', 1],
    ]);
    for (const doc of accepted) {
      expect(doc._aws.Timestamp % 60_000).toBe(0);
      expect(doc._aws.Timestamp).toBeGreaterThanOrEqual(before);
      expect(doc._aws.Timestamp).toBeLessThanOrEqual(Date.now());
    }
  });

  it('publishes what Kinesis stored of a request it answered 503, and not the refused rest', async () => {
    kinesisRefusing(IDENTIFY_KEY, false);

    const { statusCode, accepted } = await invokeMetered();

    expect(statusCode).toBe(503);
    expect(accepted.map((d) => [d.SourceId, d.EventName, d.AcceptedEvents])).toEqual([
      ['web', 'comment_added', 1],
    ]);
  });
});
