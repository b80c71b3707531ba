/** Collector Lambda (API Gateway HTTP API, payload v2): Kinesis for events, SSM for write keys, EMF for accepted counts. */
import { Logger } from '@aws-lambda-powertools/logger';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SSMClient } from '@aws-sdk/client-ssm';
import { createCollectorHttpHandler } from '#adapters/aws/handlers/collector-http-handler.ts';
import { collectorKinesisClientConfig, KinesisEventStream } from '#adapters/aws/kinesis-stream.ts';
import { MeteredEventStream } from '#adapters/aws/metered-event-stream.ts';
import { SsmWriteKeyStore } from '#adapters/aws/ssm-write-key-store.ts';
import { gunzipBody } from '#adapters/node/gunzip-body.ts';
import { createCollector } from '#core/collector/collector.ts';
import { parseCollectorConfig } from '#core/collector/config.ts';
import { publishAcceptedEvents } from '#middleware/publish-accepted-events.ts';

const config = parseCollectorConfig(process.env);
const kinesis = new KinesisClient(collectorKinesisClientConfig(config.settings.streamRetry));
const stream = new MeteredEventStream(new KinesisEventStream(kinesis, config.streamName));
const collector = createCollector({
  inflate: gunzipBody,
  stream,
  writeKeys: new SsmWriteKeyStore(new SSMClient({}), config.writeKeysParameter),
  settings: config.settings,
});
const logger = new Logger({ serviceName: 'tally-collector' });

export const handler = createCollectorHttpHandler(collector, logger).use(
  publishAcceptedEvents(stream, logger),
);
