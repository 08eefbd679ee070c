import { Duration } from 'aws-cdk-lib';
import { LambdaIntegration, ResponseTransferMode } from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { STREAMING_FUNCTIONS, type FunctionName } from '../lambdas/api/routes.js';

/** What API Gateway waits for a buffered Lambda proxy integration (its default; we never raise it). */
export const BUFFERED_INTEGRATION_TIMEOUT = Duration.seconds(29);

/**
 * The integration timeout of a streaming integration: the most API Gateway allows in STREAM mode (a streamed response
 * lasts at most 15 minutes), which is also Lambda's own maximum. Left at the 29-second default, API Gateway would cut
 * streams the function is still writing. The function's timeout (shorter) is the limit that applies, so the function
 * ends first and can still close its stream with an error event; API Gateway never cuts a live stream. Streams are
 * also cut after 5 minutes without a byte (idle timeout of Regional endpoints): the handler must keep writing.
 */
export const STREAM_INTEGRATION_TIMEOUT = Duration.minutes(15);

const streamingFunctions: ReadonlySet<FunctionName> = STREAMING_FUNCTIONS;

/** True when the function answers through Lambda response streaming (STREAMING_FUNCTIONS of the route table). */
export const isStreamingFunction = (name: FunctionName): boolean => streamingFunctions.has(name);

/**
 * The one Lambda proxy integration of a function, shared by all its methods.
 *
 * A streaming function's integration uses STREAM transfer mode, so CDK points it at Lambda's InvokeWithResponseStream
 * API (`…/2021-11-15/functions/<arn>/response-streaming-invocations`) instead of Invoke (`…/2015-03-31/…/invocations`).
 * Permission: InvokeWithResponseStream has no IAM action of its own; the Lambda API reference states that it
 * "requires permission for the lambda:InvokeFunction action". So the resource-based permission CDK adds for API
 * Gateway (`lambda:InvokeFunction`, principal apigateway.amazonaws.com) covers streaming invocations as it covers
 * buffered ones, and none is added. Every other function stays BUFFERED with API Gateway's default timeout.
 *
 * `functionTimeout` is checked against the integration timeout: a function that may run longer than API Gateway waits
 * would be cut mid-response (and billed on).
 */
export function lambdaIntegration(name: FunctionName, target: IFunction, functionTimeout: Duration): LambdaIntegration {
  const streaming = isStreamingFunction(name);
  const integrationTimeout = streaming ? STREAM_INTEGRATION_TIMEOUT : BUFFERED_INTEGRATION_TIMEOUT;
  if (functionTimeout.toSeconds() > integrationTimeout.toSeconds()) {
    throw new Error(
      `Function ${name} may run ${functionTimeout.toHumanString()}, but API Gateway waits at most ` +
        `${integrationTimeout.toHumanString()} for a ${streaming ? 'streaming' : 'buffered'} integration.`,
    );
  }
  return new LambdaIntegration(target, {
    // One invoke permission per function for the whole API, not one per method (Lambda policies max 20 KB).
    scopePermissionToMethod: false,
    ...(streaming ? { responseTransferMode: ResponseTransferMode.STREAM, timeout: STREAM_INTEGRATION_TIMEOUT } : {}),
  });
}
