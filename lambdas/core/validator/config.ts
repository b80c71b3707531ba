import { ASSET_ENV } from '#core/config/asset-env.ts';
import { ConfigReader } from '#core/config/config-reader.ts';
import { MAX_EVENT_BYTES } from '#core/contract/limits.ts';
import { ValidatorConfigError } from './errors.ts';

/**
 * Environment variables of the validator Lambda, defined once: the CDK construct imports these
 * names to set them, the handler reads them through {@link parseValidatorConfig}.
 */
export const VALIDATOR_ENV = {
  /** Required. Firehose delivery stream for validated events. */
  eventsDeliveryStream: 'TALLY_VALIDATOR_EVENTS_DELIVERY_STREAM',
  /** Required. Firehose delivery stream for rejected events. */
  rejectedDeliveryStream: 'TALLY_VALIDATOR_REJECTED_DELIVERY_STREAM',
  /** Required. Folder holding `events/<name>/<version>.json` and `features.json` (the repository's `schemas/`). */
  schemasDir: ASSET_ENV.schemas,
  /** Required. Identifies the deployed validator code (git sha or version); stamped into every line's lineage. */
  validatorBuild: 'TALLY_VALIDATOR_BUILD',
  /** Optional. Largest event accepted, in UTF-8 bytes; defaults to the contract's MAX_EVENT_BYTES. */
  maxEventBytes: 'TALLY_VALIDATOR_MAX_EVENT_BYTES',
} as const;

export interface ValidatorConfig {
  readonly eventsDeliveryStream: string;
  readonly rejectedDeliveryStream: string;
  readonly schemasDir: string;
  readonly validatorBuild: string;
  readonly maxEventBytes: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the validator's environment once; every problem is reported in one ValidatorConfigError. */
export const parseValidatorConfig = (env: Env): ValidatorConfig => {
  const read = ConfigReader.env(env);
  const config: ValidatorConfig = {
    eventsDeliveryStream: read.required(VALIDATOR_ENV.eventsDeliveryStream),
    rejectedDeliveryStream: read.required(VALIDATOR_ENV.rejectedDeliveryStream),
    schemasDir: read.required(VALIDATOR_ENV.schemasDir),
    validatorBuild: read.required(VALIDATOR_ENV.validatorBuild),
    maxEventBytes: read.optional(VALIDATOR_ENV.maxEventBytes, MAX_EVENT_BYTES, (raw) =>
      /^[1-9]\d*$/.test(raw) ? { value: Number(raw) } : { problem: 'must be a positive integer' },
    ),
  };
  if (config.eventsDeliveryStream !== '' && config.eventsDeliveryStream === config.rejectedDeliveryStream) {
    read.note(
      `${VALIDATOR_ENV.eventsDeliveryStream} and ${VALIDATOR_ENV.rejectedDeliveryStream} must name different streams`,
    );
  }
  read.throwIfAny((problems) => new ValidatorConfigError(problems));
  return config;
};
