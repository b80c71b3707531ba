import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ASSET_ENV, type AssetFolder } from '#core/config/asset-env.ts';
import { BUNDLE_OPTIONS } from './bundle-options.ts';
import { TallyInfraError } from './errors.ts';

/**
 * The Lambda runtime of every function. The toolchain is Node.js 20, but AWS deprecated
 * `nodejs20.x` on 2026-04-30 and blocks creating functions on it from 2027-02-01, so deployed
 * functions run on Node.js 22; bundles target node20 syntax (`BUNDLE_OPTIONS.target`), which 22 runs.
 */
export const LAMBDA_RUNTIME = Runtime.NODEJS_22_X;

/** The repository root: entries, `package-lock.json` and copied directories are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Where a folder copied beside the bundle lands in the Lambda (`/var/task/<folder>`). */
export const bundledAssetDir = (folder: AssetFolder): string => `/var/task/${folder}`;

export interface ProjectFunctionProps {
  /** Handler file relative to the repository root, e.g. `lambdas/handlers/collector.ts`. */
  readonly entry: string;
  readonly description: string;
  /** @default - none */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  readonly logRetention: RetentionDays;
  /**
   * Repository folders copied beside the bundle (`schemas` lands at `/var/task/schemas`); the function's
   * environment names each one (ASSET_ENV), which is how its handler finds them.
   * @default - none
   */
  readonly copyDirectories?: readonly AssetFolder[];
  /** @default - unreserved */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * Every Tally Lambda: Node.js 22 on arm64, X-Ray tracing, its own log group with retention,
 * and a minified ESM esbuild bundle with source maps, built locally (no Docker). The AWS SDK v3
 * is bundled at the tested version (BUNDLE_OPTIONS.externalModules).
 */
export class ProjectFunction extends Construct {
  public readonly function: NodejsFunction;
  public readonly logGroup: LogGroup;
  /** The function's own role: it may write its log group; grants add the rest. */
  public readonly role: Role;

  constructor(scope: Construct, id: string, props: ProjectFunctionProps) {
    super(scope, id);
    const entry = join(REPO_ROOT, props.entry);
    if (!existsSync(entry)) {
      throw new TallyInfraError(`${id}: handler ${props.entry} does not exist in ${REPO_ROOT}`);
    }
    const copies = props.copyDirectories ?? [];
    for (const dir of copies) {
      if (!existsSync(join(REPO_ROOT, dir))) {
        throw new TallyInfraError(`${id}: directory ${dir} to copy into the bundle does not exist`);
      }
    }

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (execution role)`,
    });
    this.logGroup.grantWrite(this.role);
    this.function = new NodejsFunction(this, 'Function', {
      role: this.role,
      entry,
      handler: 'handler',
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        ...Object.fromEntries(copies.map((folder) => [ASSET_ENV[folder], bundledAssetDir(folder)])),
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: BUNDLE_OPTIONS.target,
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.EXTERNAL,
        sourcesContent: false,
        mainFields: [...BUNDLE_OPTIONS.mainFields],
        banner: BUNDLE_OPTIONS.banner,
        externalModules: [...BUNDLE_OPTIONS.externalModules],
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) =>
            copies.map((dir) => `cp -R "${join(inputDir, dir)}" "${join(outputDir, dir)}"`),
        },
      },
    });
    Validations.of(this).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) is granted on *: X-Ray has no ' +
          'resource-level permissions. A function granted more on * acknowledges it on its own role, with why; ' +
          'test/infra asserts every action granted on *.',
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          'Node.js 22 (LAMBDA_RUNTIME) is supported and runs the node20-targeted bundles; moving to 24 waits for the toolchain.',
      },
    );
  }
}
