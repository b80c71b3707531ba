import { MAX_EVENT_BYTES } from '#core/contract/limits.ts';
import { parseValidatorConfig, VALIDATOR_ENV } from '#core/validator/config.ts';
import { ValidatorConfigError } from '#core/validator/errors.ts';

const complete = {
  [VALIDATOR_ENV.eventsDeliveryStream]: 'tally-events',
  [VALIDATOR_ENV.rejectedDeliveryStream]: 'tally-rejected',
  [VALIDATOR_ENV.schemasDir]: '/var/task/schemas',
  [VALIDATOR_ENV.validatorBuild]: '0.1.0+abc1234',
};

describe('parseValidatorConfig', () => {
  it('reads every setting, defaulting the event size limit to the contract limit', () => {
    expect(parseValidatorConfig(complete)).toEqual({
      eventsDeliveryStream: 'tally-events',
      rejectedDeliveryStream: 'tally-rejected',
      schemasDir: '/var/task/schemas',
      validatorBuild: '0.1.0+abc1234',
      maxEventBytes: MAX_EVENT_BYTES,
    });
  });

  it('takes the event size limit from the environment', () => {
    const config = parseValidatorConfig({ ...complete, [VALIDATOR_ENV.maxEventBytes]: '65536' });

    expect(config.maxEventBytes).toBe(65_536);
  });

  it('names every missing or invalid variable in one error', () => {
    const parse = () => parseValidatorConfig({ [VALIDATOR_ENV.maxEventBytes]: '32k' });

    expect(parse).toThrow(ValidatorConfigError);
    expect(parse).toThrow(
      'invalid validator configuration: TALLY_VALIDATOR_EVENTS_DELIVERY_STREAM is required; ' +
        'TALLY_VALIDATOR_REJECTED_DELIVERY_STREAM is required; TALLY_SCHEMAS_DIR is required; ' +
        'TALLY_VALIDATOR_BUILD is required; TALLY_VALIDATOR_MAX_EVENT_BYTES must be a positive integer, got "32k"',
    );
  });

  it('refuses the same delivery stream for events and rejections', () => {
    const parse = () =>
      parseValidatorConfig({
        ...complete,
        [VALIDATOR_ENV.rejectedDeliveryStream]: complete[VALIDATOR_ENV.eventsDeliveryStream],
      });

    expect(parse).toThrow(/must name different streams/);
  });
});
