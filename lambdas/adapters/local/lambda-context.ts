import type { Context } from 'aws-lambda';

/**
 * A Lambda invocation context for handlers run in-process by the local runtime. The
 * deprecated callback-era methods throw: Tally's handlers are async and never call them.
 */
export const localLambdaContext = (functionName: string, requestId: string, timeoutMs = 30_000): Context => {
  const deadline = Date.now() + timeoutMs;
  const unsupported = (): never => {
    throw new Error('callback-style Lambda context methods are not supported locally');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
};
