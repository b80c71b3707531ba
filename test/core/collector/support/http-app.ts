import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createCollectorHttpHandler } from '#adapters/aws/handlers/collector-http-handler.ts';
import { FileWriteKeyStore } from '#adapters/local/file-write-key-store.ts';
import { localLambdaContext } from '#adapters/local/lambda-context.ts';
import { gunzipBody } from '#adapters/node/gunzip-body.ts';
import { type Collector, createCollector } from '#core/collector/collector.ts';
import { type CollectorSettingsOverrides, resolveCollectorSettings } from '#core/collector/settings.ts';
import { hashWriteKey } from '#core/collector/write-key.ts';
import { InMemoryEventStream } from './in-memory-stream.ts';

const FIXTURES = new URL('../../../fixtures/requests/', import.meta.url);

/** An API Gateway HTTP API event from test/fixtures/requests/, optionally changed. */
export const fixture = async (
  name: string,
  change: (event: APIGatewayProxyEventV2) => void = () => {},
): Promise<APIGatewayProxyEventV2> => {
  const event = JSON.parse(await readFile(new URL(name, FIXTURES), 'utf8')) as APIGatewayProxyEventV2;
  change(event);
  return event;
};

export const context = (): Context =>
  localLambdaContext('tally-collector', 'c0ffee00-0000-4000-8000-000000000001');

/** Everything the Lambda logged while `work` ran (Powertools writes JSON lines to stdout). */
export const captureStdout = async <T>(work: () => Promise<T>): Promise<{ result: T; output: string }> => {
  const chunks: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  try {
    const result = await work();
    return { result, output: chunks.join('') };
  } finally {
    process.stdout.write = original;
  }
};

/**
 * The collector's HTTP handler over an in-memory stream and a real FileWriteKeyStore on a temp
 * file holding the web and ios keys the fixtures use.
 */
export const collectorApp = async (
  overrides: CollectorSettingsOverrides = {},
  options: { readonly collector?: Collector; readonly logLevel?: 'INFO' | 'SILENT' } = {},
) => {
  const dir = await mkdtemp(join(tmpdir(), 'tally-collector-'));
  const keysFile = join(dir, 'write-keys.json');
  await writeFile(
    keysFile,
    JSON.stringify({
      keys: [
        { source_id: 'web', key_sha256: hashWriteKey('wk_web_3f9a1c') },
        { source_id: 'ios', key_sha256: hashWriteKey('wk_ios_77b2e0') },
        { source_id: 'web', key_sha256: hashWriteKey('wk_web_retired'), revoked: true },
      ],
    }),
  );
  const stream = new InMemoryEventStream();
  const clock = { ms: Date.UTC(2024, 4, 1, 12, 0, 0, 250), now: () => clock.ms };
  const collector =
    options.collector ??
    createCollector({
      inflate: gunzipBody,
      stream,
      writeKeys: new FileWriteKeyStore(keysFile),
      settings: resolveCollectorSettings(overrides),
      clock,
      sleep: async (ms) => {
        clock.ms += ms;
      },
    });
  const handler = createCollectorHttpHandler(
    collector,
    new Logger({ serviceName: 'tally-collector', logLevel: options.logLevel ?? 'SILENT' }),
  );
  const invoke = async (event: APIGatewayProxyEventV2) =>
    (await handler(event, context())) as APIGatewayProxyStructuredResultV2;
  return { invoke, stream, clock, cleanup: () => rm(dir, { recursive: true, force: true }) };
};

export const jsonBody = (response: APIGatewayProxyStructuredResultV2): unknown =>
  JSON.parse(String(response.body));
