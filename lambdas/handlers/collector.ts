/** Collector Lambda (API Gateway HTTP API, payload v2): Kinesis for events, SSM for write keys. */
import { Logger } from '@aws-lambda-powertools/logger';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SSMClient } from '@aws-sdk/client-ssm';
import { KinesisEventStream } from '#adapters/aws/kinesis-stream.ts';
import { SsmWriteKeyStore } from '#adapters/aws/ssm-write-key-store.ts';
import { createCollector } from '#core/collector/collector.ts';
import { parseCollectorConfig } from '#core/collector/config.ts';
import { createCollectorHttpHandler } from '../middleware/collector-http-handler.ts';

const config = parseCollectorConfig(process.env);
const collector = createCollector({
  stream: new KinesisEventStream(new KinesisClient({}), config.streamName),
  writeKeys: new SsmWriteKeyStore(new SSMClient({}), config.writeKeysParameter),
  settings: config.settings,
});

export const handler = createCollectorHttpHandler(collector, new Logger({ serviceName: 'tally-collector' }));
