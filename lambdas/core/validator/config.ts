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
  schemasDir: 'TALLY_VALIDATOR_SCHEMAS_DIR',
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
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (value === undefined || value === '') problems.push(`${name} is required`);
    return value ?? '';
  };
  const positiveInteger = (name: string, fallback: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    if (!/^[1-9]\d*$/.test(raw)) {
      problems.push(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return Number(raw);
  };
  const config: ValidatorConfig = {
    eventsDeliveryStream: required(VALIDATOR_ENV.eventsDeliveryStream),
    rejectedDeliveryStream: required(VALIDATOR_ENV.rejectedDeliveryStream),
    schemasDir: required(VALIDATOR_ENV.schemasDir),
    validatorBuild: required(VALIDATOR_ENV.validatorBuild),
    maxEventBytes: positiveInteger(VALIDATOR_ENV.maxEventBytes, MAX_EVENT_BYTES),
  };
  if (config.eventsDeliveryStream !== '' && config.eventsDeliveryStream === config.rejectedDeliveryStream) {
    problems.push(
      `${VALIDATOR_ENV.eventsDeliveryStream} and ${VALIDATOR_ENV.rejectedDeliveryStream} must name different streams`,
    );
  }
  if (problems.length > 0) throw new ValidatorConfigError(problems);
  return config;
};
