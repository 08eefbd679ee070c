/**
 * Work a Lambda function does in its init phase instead of on its first request. Lambda runs the init phase with a
 * full core whatever the memory size (a 256 MB invocation gets about a seventh of one), and the client of a cold
 * start's request waits for both phases alike; so what every first request pays anyway — an AWS SDK client's first
 * use, a secret's first read — costs less here. Only in Lambda: locally and in tests nothing runs at import.
 */

/** Whether this process is a Lambda function (the runtime sets both; the local server and tests set neither). */
export const inLambda = (env: NodeJS.ProcessEnv = process.env): boolean =>
  env.LAMBDA_TASK_ROOT !== undefined && (env.AWS_EXECUTION_ENV ?? '').startsWith('AWS_Lambda_');

/**
 * Runs the steps concurrently and waits for all of them. A step that fails is not an init failure: the request that
 * needs its result does the work again and reports its own error (the provider-key secret unreadable, the store
 * unavailable) in the route's error shape.
 */
export async function warmUp(steps: readonly (() => Promise<unknown>)[]): Promise<void> {
  await Promise.allSettled(steps.map(async (step) => step()));
}
