/**
 * Prints (or writes) the one-time Snowflake setup script for a deployed stage.
 *
 *   npx cdk deploy --outputs-file cdk-outputs.json
 *   npx tsx scripts/snowflake-setup.ts --outputs cdk-outputs.json --public-key rsa_key.pub --out setup.sql
 *
 * Config comes from cdk.json's context, overridden by `-c tally:key=value` as with `cdk`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '../lib/config.ts';
import { REPO_ROOT } from '../lib/project-function.ts';
import { renderSnowflakeSetup } from '../lib/snowflake-setup.ts';
import { STACK_OUTPUTS } from '../lib/tally-stack.ts';

const program = new Command('snowflake-setup')
  .requiredOption('--outputs <file>', 'outputs file written by `cdk deploy --outputs-file`')
  .requiredOption('--public-key <file>', "the service user's RSA public key (PEM)")
  .option('--out <file>', 'write the script here instead of stdout')
  .option('-c, --context <key=value...>', 'context override, as with cdk', [])
  .parse();
const options = program.opts<{ outputs: string; publicKey: string; out?: string; context: string[] }>();

try {
  const context: Record<string, unknown> = JSON.parse(
    readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'),
  ).context;
  for (const pair of options.context) {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`-c ${pair}: expected key=value`);
    context[pair.slice(0, at)] = pair.slice(at + 1);
  }
  // The setup runs before the handshake values exist: it is how they come to exist.
  const config = loadConfig((key) => context[key], { requireHandshake: false });
  const stackName = `Tally-${config.stage}`;
  const outputs: Record<string, Record<string, string> | undefined> = JSON.parse(
    readFileSync(options.outputs, 'utf8'),
  );
  const stack = outputs[stackName];
  const output = (name: string): string => {
    const value = stack?.[name];
    if (value === undefined)
      throw new Error(`${options.outputs} has no output ${stackName}.${name}: deploy first`);
    return value;
  };
  const sql = renderSnowflakeSetup({
    config,
    bucketName: output(STACK_OUTPUTS.rawBucketName),
    storageRoleArn: output(STACK_OUTPUTS.storageIntegrationRoleArn),
    rsaPublicKey: readFileSync(options.publicKey, 'utf8'),
  });
  if (options.out === undefined) process.stdout.write(sql);
  else writeFileSync(options.out, sql);
} catch (error) {
  console.error(`snowflake-setup: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
