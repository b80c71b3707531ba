import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { COLLECTOR_CORS_ALLOW_HEADERS } from '#adapters/aws/handlers/collector-http-handler.ts';
import { COLLECTOR_ENV } from '#core/collector/config.ts';
import { COLLECTOR_ROUTES } from '#core/collector/routes.ts';
import { DEFAULT_COLLECTOR_SETTINGS } from '#core/collector/settings.ts';
import { ProjectFunction } from './project-function.ts';

export interface CollectorApiProps {
  readonly namePrefix: string;
  /** The raw stream the collector writes to. */
  readonly stream: IStream;
  /** SSM parameter with the write keys; operator-managed, so the stack only reads it. */
  readonly writeKeysParameterName: string;
  /** @default 10000 (the account's default HTTP API quota) */
  readonly rateLimit?: number;
  /** @default 5000 */
  readonly burstLimit?: number;
  /**
   * Browser origins allowed to call the collector: `*` or exact origins.
   * @default '*'
   */
  readonly corsAllowedOrigins?: '*' | readonly string[];
  /**
   * Concurrency reserved for the collector, which also caps it: a flood of requests cannot take the
   * account's whole concurrency from the validator and the jobs, nor they from the collector.
   * @default - unreserved
   */
  readonly reservedConcurrency?: number;
  readonly logRetention: RetentionDays;
}

/**
 * The collector: an HTTP API whose routes (the native and Segment-compatible ones) all reach one
 * Lambda that authenticates the write key and puts the events on the raw stream. The API answers CORS
 * preflight itself (no invocation, no OPTIONS route) and adds the CORS headers to the Lambda's answers;
 * API Gateway may invoke the function through one permission for the whole API (a permission per route
 * grows the function's resource policy towards its 20 KB limit). The stage throttles and writes access logs.
 */
export class CollectorApi extends Construct {
  public readonly api: HttpApi;
  public readonly stage: HttpStage;
  public readonly handler: ProjectFunction;
  public readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: CollectorApiProps) {
    super(scope, id);
    const origins = props.corsAllowedOrigins ?? '*';
    this.handler = new ProjectFunction(this, 'Handler', {
      entry: 'lambdas/handlers/collector.ts',
      description: 'Tally collector: authenticates write keys and puts events on the raw stream',
      memorySize: 1024,
      timeout: Duration.seconds(10),
      logRetention: props.logRetention,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        [COLLECTOR_ENV.streamName]: props.stream.streamName,
        [COLLECTOR_ENV.writeKeysParameter]: props.writeKeysParameterName,
        // The same origins as the API's CORS configuration: the local gateway, which has none, relies on these.
        [COLLECTOR_ENV.corsAllowedOrigins]: origins === '*' ? '*' : origins.join(','),
      },
    });
    props.stream.grantWrite(this.handler.function);
    StringParameter.fromStringParameterName(this, 'WriteKeys', props.writeKeysParameterName).grantRead(
      this.handler.function,
    );

    this.api = new HttpApi(this, 'Api', {
      apiName: `${props.namePrefix}-collector`,
      description: 'Tally event collector (native and Segment-compatible HTTP tracking API)',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: origins === '*' ? ['*'] : [...origins],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.OPTIONS],
        allowHeaders: [...COLLECTOR_CORS_ALLOW_HEADERS],
        exposeHeaders: ['Retry-After'],
        maxAge: Duration.seconds(DEFAULT_COLLECTOR_SETTINGS.cors.maxAgeSeconds),
        allowCredentials: false,
      },
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 10000, burstLimit: props.burstLimit ?? 5000 },
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs) },
    });

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'SDKs authenticate with a per-source write key (HTTP Basic user, as Segment SDKs send it) that the ' +
        'collector checks against hashed keys in SSM; an API Gateway authorizer would add a hop to every request.',
    });
    const integration = new HttpLambdaIntegration('Collector', this.handler.function, {
      scopePermissionToRoute: false,
    });
    for (const route of COLLECTOR_ROUTES) {
      this.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
    }
  }
}
