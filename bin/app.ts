#!/usr/bin/env -S npx tsx
/** CDK entry: load and validate the `tally:*` context, build the stack, run cdk-nag when asked (`-c tally:nag=true`). */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig } from '../lib/config.ts';
import { TallyConfigError } from '../lib/errors.ts';
import { TallyStack } from '../lib/tally-stack.ts';

const app = new App();
try {
  const config = loadConfig((key) => app.node.tryGetContext(key));
  new TallyStack(app, `Tally-${config.stage}`, {
    config,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    description: `Tally feature-usage analytics pipeline (${config.stage})`,
  });
  if (app.node.tryGetContext('tally:nag') === true || app.node.tryGetContext('tally:nag') === 'true') {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  }
} catch (error) {
  if (!(error instanceof TallyConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
