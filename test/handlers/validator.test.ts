import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FirehoseClient, PutRecordBatchCommand, ResourceNotFoundException } from '@aws-sdk/client-firehose';
import { jest } from '@jest/globals';
import type { Context, KinesisStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { VALIDATOR_ENV } from '#core/validator/config.ts';

const root = join(import.meta.dirname, '..', '..');
/** What Lambda hands the validator: five records (two good, a schema violation, broken JSON, non-UTF-8 bytes). */
const event: KinesisStreamEvent = JSON.parse(
  readFileSync(join(root, 'test/fixtures/validator/kinesis-stream-event.json'), 'utf8'),
);
const sequence = (n: number) => event.Records[n - 1]!.kinesis.sequenceNumber;
const context = {
  functionName: 'tally-validator',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:tally-validator',
  memoryLimitInMB: '1024',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/tally-validator',
  logStreamName: '2026/03/02/[$LATEST]abcdef',
  getRemainingTimeInMillis: () => 60_000,
} as Context;

const firehose = mockClient(FirehoseClient);
let handler: (event: KinesisStreamEvent, context: Context) => Promise<unknown>;
let stdout: string[];
let stderr: string[];

/** NDJSON lines sent to a delivery stream, across all calls and records. */
const linesSentTo = (stream: string): Record<string, unknown>[] =>
  firehose
    .commandCalls(PutRecordBatchCommand)
    .map(({ args: [{ input }] }) => input)
    .filter((input) => input.DeliveryStreamName === stream)
    .flatMap((input) => input.Records ?? [])
    .flatMap((record) => Buffer.from(record.Data!).toString('utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line));
const emfMetrics = () =>
  stdout
    .flatMap((chunk) => chunk.split('\n').filter(Boolean))
    .map((line) => JSON.parse(line))
    .filter((entry) => entry._aws !== undefined);

beforeAll(async () => {
  process.env[VALIDATOR_ENV.eventsDeliveryStream] = 'tally-events';
  process.env[VALIDATOR_ENV.rejectedDeliveryStream] = 'tally-rejected';
  process.env[VALIDATOR_ENV.schemasDir] = join(root, 'schemas');
  process.env[VALIDATOR_ENV.validatorBuild] = 'test-build';
  process.env.AWS_REGION = 'us-east-1';
  ({ handler } = await import('../../lambdas/handlers/validator.ts'));
});
beforeEach(() => {
  firehose.reset();
  stdout = [];
  stderr = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());
afterAll(() => firehose.restore());

it('sends valid events to the events stream and the rest, with reasons, to the rejected stream', async () => {
  firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'r1' }] });

  const response = await handler(event, context);

  expect(response).toEqual({ batchItemFailures: [] });
  expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(2);
  const events = linesSentTo('tally-events');
  expect(events).toMatchObject([
    {
      event_name: 'feature_used',
      event_id: '0c6f2b7e-3d2a-4a51-9a8e-5b1f0e2d7c11',
      workspace_id: 'ws_acme',
      feature_id: 'editor.comments.mention',
      feature_known: true,
      received_at: '2026-03-02T09:15:04.512Z',
      lineage: { validator_build: 'test-build' },
    },
    { event_name: 'feature_used', event_id: 'ios-5d1c-88a0', workspace_id: 'ws_globex', platform: 'ios' },
  ]);
  const rejected = linesSentTo('tally-rejected');
  expect(rejected.map((line) => (line.reason as { code: string }).code)).toEqual([
    'SCHEMA_VIOLATION',
    'MALFORMED_JSON',
    'MALFORMED_RECORD',
  ]);
  const bytes = Buffer.from(event.Records[4]!.kinesis.data, 'base64');
  expect(rejected[2]).toMatchObject({
    raw_record_base64: bytes.toString('base64'),
    source_id: 'src_web_app',
  });
});

it('gives its Firehose client one attempt per attempt of the sink, whose retries are the only ones', async () => {
  const sdkAttempts: number[] = [];
  firehose.on(PutRecordBatchCommand).callsFake(async (_input, getClient) => {
    sdkAttempts.push(await getClient().config.maxAttempts());
    return { FailedPutCount: 0, RequestResponses: [{ RecordId: 'r1' }] };
  });

  await handler(event, context);

  expect(sdkAttempts).toEqual([1, 1]);
});

it('answers the records of a failed sink as batch item failures, and still stores the other sink', async () => {
  firehose
    .on(PutRecordBatchCommand, { DeliveryStreamName: 'tally-events' })
    .rejects(new ResourceNotFoundException({ message: 'Firehose tally-events not found.', $metadata: {} }))
    .on(PutRecordBatchCommand, { DeliveryStreamName: 'tally-rejected' })
    .resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'r1' }] });

  const response = await handler(event, context);

  expect(response).toEqual({
    batchItemFailures: [{ itemIdentifier: sequence(1) }, { itemIdentifier: sequence(2) }],
  });
  expect(linesSentTo('tally-rejected')).toHaveLength(3);
  const logged = stderr.map((line) => JSON.parse(line));
  expect(logged).toMatchObject([
    {
      level: 'ERROR',
      message: 'the events sink failed; its records will be retried',
      function_request_id: context.awsRequestId,
      error: {
        message:
          'PutRecordBatch on tally-events was rejected: ResourceNotFoundException: Firehose tally-events not found.',
      },
    },
  ]);
});

it('publishes validated, rejected (in total and per reason) and sink-failure counts as EMF metrics', async () => {
  firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'r1' }] });

  await handler(event, context);

  const metrics = emfMetrics();
  const batch = metrics.find((entry) => entry.EventsValidated !== undefined);
  expect(batch).toMatchObject({
    service: 'validator',
    EventsValidated: 2,
    EventsRejected: 3,
    SinkFailures: 0,
  });
  expect(batch._aws.CloudWatchMetrics[0].Namespace).toBe('Tally');
  const byReason = metrics
    .filter((entry) => entry.Reason !== undefined)
    .map((entry) => [entry.Reason, entry.EventsRejected]);
  expect(byReason.sort()).toEqual([
    ['MALFORMED_JSON', 1],
    ['MALFORMED_RECORD', 1],
    ['SCHEMA_VIOLATION', 1],
  ]);
});
