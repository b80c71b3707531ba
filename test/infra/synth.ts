import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadConfig } from '../../lib/config.ts';
import { REPO_ROOT } from '../../lib/project-function.ts';
import { TallyStack } from '../../lib/tally-stack.ts';

/** The context `cdk synth` reads (defaults and feature flags), so tests see the deployed template. */
const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'),
).context;

export interface Synthesized {
  readonly stack: TallyStack;
  readonly template: Template;
}

/**
 * Builds the stack from cdk.json context plus `context`, as bin/app.ts does. Bundling is skipped
 * (`aws:cdk:bundling-stacks` = []) unless `bundle` is set: test/infra/bundling.test.ts bundles for real.
 */
export const synthesize = (context: Record<string, unknown> = {}, options: { bundle?: boolean } = {}) => {
  const app = new App({
    context: {
      ...CDK_JSON_CONTEXT,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...context,
    },
  });
  const config = loadConfig((key) => app.node.tryGetContext(key));
  const stack = new TallyStack(app, 'Tally-test', {
    config,
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  return { app, stack, template: Template.fromStack(stack) };
};

/** Context that finishes the Snowflake handshake and turns on every optional job. */
export const FULL_CONTEXT = {
  'tally:snowflakeIamUserArn': 'arn:aws:iam::999999999999:user/abc1-s-v2st1234',
  'tally:snowflakeExternalId': 'MYORG_SFCRole=2_abcdefg=',
  'tally:snowpipeQueueArn': 'arn:aws:sqs:eu-west-1:999999999999:sf-snowpipe-AIDAEXAMPLE',
  'tally:alarmEmail': 'oncall@example.com',
};
