import { randomBytes } from 'node:crypto';
import type { Context } from 'aws-lambda';

const instance = randomBytes(4).toString('hex');
let invocations = 0;

const noop = (): undefined => undefined;
/** A function's names (its ARN, log group), made once per function rather than on every invocation. */
interface FunctionNames {
  readonly name: string;
  readonly arn: string;
  readonly logGroup: string;
}
const names = new Map<string, FunctionNames>();

function namesOf(functionName: string): FunctionNames {
  let known = names.get(functionName);
  if (known === undefined) {
    const name = `llm-gateway-${functionName}`;
    known = { name, arn: `arn:aws:lambda:local:000000000000:function:${name}`, logGroup: `/aws/lambda/${name}` };
    names.set(functionName, known);
  }
  return known;
}

/** A Lambda context for a local invocation, with the deadline a deployed function would have. */
export function lambdaContext(functionName: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  const { name, arn, logGroup } = namesOf(functionName);
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: arn,
    memoryLimitInMB: '1024',
    awsRequestId: `local-${instance}-${(invocations += 1)}`,
    logGroupName: logGroup,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: noop,
    fail: noop,
    succeed: noop,
  };
}
