import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { COLLECTOR_ENV } from '#core/collector/config.ts';
import { hashWriteKey } from '#core/collector/write-key.ts';
import { context, fixture, jsonBody } from '../core/collector/support/http-app.ts';

const kinesis = mockClient(KinesisClient);
const ssm = mockClient(SSMClient);

beforeAll(() => {
  process.env[COLLECTOR_ENV.streamName] = 'tally-raw-events';
  process.env[COLLECTOR_ENV.writeKeysParameter] = '/tally/test/write-keys';
  process.env.AWS_REGION = 'eu-west-1';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});
afterAll(() => {
  kinesis.restore();
  ssm.restore();
});

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

    const response = (await handler(
      await fixture('segment-batch.json'),
      context(),
    )) as APIGatewayProxyStructuredResultV2;

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
});
