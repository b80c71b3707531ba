import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import middy from '@middy/core';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { FirehoseLineSink } from '#adapters/aws/firehose-sink.ts';
import { toStreamedRecords } from '#adapters/aws/kinesis-event-records.ts';
import { UNDER_OUR_RETRIES } from '#adapters/aws/sdk-retries.ts';
import {
  reportBatchResult,
  VALIDATOR_METRICS_NAMESPACE,
  VALIDATOR_SERVICE_NAME,
} from '#adapters/aws/validator-telemetry.ts';
import { loadValidator } from '#adapters/node/load-validator.ts';
import { parseValidatorConfig } from '#core/validator/config.ts';
import { processKinesisBatch } from '#core/validator/process-batch.ts';

/** Validator Lambda (Kinesis trigger): config, schemas and clients once per container; core per batch. */
const config = parseValidatorConfig(process.env);
const validate = await loadValidator({ ...config, build: config.validatorBuild });
// the sink retries refused records and throttled calls itself (see UNDER_OUR_RETRIES)
const firehose = new FirehoseClient(UNDER_OUR_RETRIES);
const deps = {
  validate,
  events: new FirehoseLineSink(firehose, config.eventsDeliveryStream),
  rejected: new FirehoseLineSink(firehose, config.rejectedDeliveryStream),
};
const logger = new Logger({ serviceName: VALIDATOR_SERVICE_NAME });
const metrics = new Metrics({ namespace: VALIDATOR_METRICS_NAMESPACE, serviceName: VALIDATOR_SERVICE_NAME });

export const handler = middy(async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
  const result = await processKinesisBatch(toStreamedRecords(event), deps);
  reportBatchResult(result, { logger, metrics });
  return { batchItemFailures: [...result.batchItemFailures] };
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
