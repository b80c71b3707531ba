/** Collector Lambda (API Gateway HTTP API, payload v2): Kinesis for events, SSM for write keys, EMF for accepted counts. */
import { Logger } from '@aws-lambda-powertools/logger';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SSMClient } from '@aws-sdk/client-ssm';
import { KinesisEventStream } from '#adapters/aws/kinesis-stream.ts';
import { MeteredEventStream } from '#adapters/aws/metered-event-stream.ts';
import { publishAcceptedEvents } from '#adapters/aws/publish-accepted-events.ts';
import { UNDER_OUR_RETRIES } from '#adapters/aws/sdk-retries.ts';
import { SsmWriteKeyStore } from '#adapters/aws/ssm-write-key-store.ts';
import { createCollector } from '#core/collector/collector.ts';
import { parseCollectorConfig } from '#core/collector/config.ts';
import { createCollectorHttpHandler } from '../middleware/collector-http-handler.ts';

const config = parseCollectorConfig(process.env);
// the stream writer retries refused records and throttled calls itself (see UNDER_OUR_RETRIES)
const stream = new MeteredEventStream(
  new KinesisEventStream(new KinesisClient(UNDER_OUR_RETRIES), config.streamName),
);
const collector = createCollector({
  stream,
  writeKeys: new SsmWriteKeyStore(new SSMClient({}), config.writeKeysParameter),
  settings: config.settings,
});
const logger = new Logger({ serviceName: 'tally-collector' });

export const handler = createCollectorHttpHandler(collector, logger).use(
  publishAcceptedEvents(stream, logger),
);
