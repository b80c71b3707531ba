import { ASSET_ENV } from '#core/config/asset-env.ts';
import { ReplayConfigError } from './errors.ts';

/**
 * Environment variables of the replay Lambda, defined once: the CDK construct imports these names to set
 * them, the handler reads them through {@link parseReplayConfig}. (Snowflake's come from its adapter.)
 */
export const REPLAY_ENV = {
  /** Required. The raw bucket, whose `rejected/` files the replay of rejected events reads. */
  bucket: 'TALLY_REPLAY_BUCKET',
  /** Required. The events Firehose stream: where replayed events go. */
  eventsDeliveryStream: 'TALLY_REPLAY_EVENTS_DELIVERY_STREAM',
  /** Required. The rejected Firehose stream: where records of a failed batch still rejected go. */
  rejectedDeliveryStream: 'TALLY_REPLAY_REJECTED_DELIVERY_STREAM',
  /** Required. URL of the validator's failure queue (its on-failure destination). */
  failureQueueUrl: 'TALLY_REPLAY_FAILURE_QUEUE_URL',
  /** Required. Folder of the JSON Schemas and feature catalog shipped beside the bundle (set by the project function). */
  schemasDir: ASSET_ENV.schemas,
  /** Required. Folder of the SQL library shipped beside the bundle (the dedup-key lookup; set by the project function). */
  sqlDir: ASSET_ENV.sql,
  /** Required. The deployed validator's build, stamped into the lineage of replayed lines. */
  validatorBuild: 'TALLY_REPLAY_VALIDATOR_BUILD',
} as const;

export type ReplayConfig = { readonly [K in keyof typeof REPLAY_ENV]: string };

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and checks the replay Lambda's environment once; every problem in one ReplayConfigError. */
export const parseReplayConfig = (env: Env): ReplayConfig => {
  const problems: string[] = [];
  const read = (key: keyof typeof REPLAY_ENV): string => {
    const value = env[REPLAY_ENV[key]]?.trim() ?? '';
    if (value === '') problems.push(`${REPLAY_ENV[key]} is required`);
    return value;
  };
  const config: ReplayConfig = {
    bucket: read('bucket'),
    eventsDeliveryStream: read('eventsDeliveryStream'),
    rejectedDeliveryStream: read('rejectedDeliveryStream'),
    failureQueueUrl: read('failureQueueUrl'),
    schemasDir: read('schemasDir'),
    sqlDir: read('sqlDir'),
    validatorBuild: read('validatorBuild'),
  };
  if (config.failureQueueUrl !== '' && !/^https:\/\/\S+$/.test(config.failureQueueUrl)) {
    problems.push(
      `${REPLAY_ENV.failureQueueUrl} must be an https queue URL, got ${JSON.stringify(config.failureQueueUrl)}`,
    );
  }
  if (problems.length > 0) throw new ReplayConfigError(problems);
  return config;
};
