import { ConfigError } from '../lambdas/config/load.js';
import { METRICS_NAMESPACE } from './function-bundle.js';

/**
 * What an operator chooses per deployment (README "Deploy"): the stack's name, the API stage, the CloudWatch namespace
 * of its metrics, and whether the stack sets the account's API Gateway CloudWatch role.
 *
 * The base URLs: API Gateway serves a stage at `https://<api>.execute-api.<region>.amazonaws.com/<stage>/`, and the
 * routes of the route table keep their `/v1/…` paths under it, so the OpenAI base URL is `<stage URL>/v1` and the
 * Anthropic base URL is the stage URL itself (its SDK appends `/v1/messages`). The stage is `prod` unless chosen.
 */
export const DEFAULT_STACK_NAME = 'LlmGateway';
export const DEFAULT_STAGE = 'prod';
/** The namespace of the default stack (as before stacks could be named); other stacks get `LLMGateway/<stack>`. */
export const DEFAULT_METRICS_NAMESPACE = METRICS_NAMESPACE;

/** CDK context keys (`cdk deploy -c stackName=… -c stage=…`); each also reads the environment variable named. */
export const SETTING_KEYS = {
  stackName: { context: 'stackName', env: 'GATEWAY_STACK_NAME' },
  stage: { context: 'stage', env: 'GATEWAY_STAGE' },
  metricsNamespace: { context: 'metricsNamespace', env: 'GATEWAY_METRICS_NAMESPACE' },
  apiGatewayAccount: { context: 'apiGatewayAccount', env: 'GATEWAY_API_GATEWAY_ACCOUNT' },
} as const;

export interface DeploySettings {
  readonly stackName: string;
  readonly stage: string;
  readonly metricsNamespace: string;
  /**
   * true (default): the stack creates the IAM role API Gateway logs with and sets it as the region's
   * `AWS::ApiGateway::Account` CloudWatch role (account-wide). false: it leaves that setting alone (a second stack in
   * the same account and region, or an account whose role is managed elsewhere; the role must then already be set,
   * or the stage's execution logging fails to deploy).
   */
  readonly apiGatewayAccount: boolean;
}

/** CloudFormation stack names: a letter, then letters, digits and hyphens, at most 128. */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
/** API Gateway stage names: letters, digits, hyphens and underscores, at most 128. */
const STAGE = /^[A-Za-z0-9_-]{1,128}$/;
/** CloudWatch namespaces: at most 255 of letters, digits and `.-_/#:`, not starting with `AWS/`. */
const NAMESPACE = /^(?!AWS\/)[A-Za-z0-9.\-_/#:]{1,255}$/;

/** The metrics namespace of a stack that names none: the default stack keeps `LLMGateway`. */
export const metricsNamespaceFor = (stackName: string): string =>
  stackName === DEFAULT_STACK_NAME ? DEFAULT_METRICS_NAMESPACE : `${DEFAULT_METRICS_NAMESPACE}/${stackName}`;

const SOURCE = 'the deploy settings (cdk -c <key>=<value>, or GATEWAY_* environment variables)';

function checked(what: string, value: string, pattern: RegExp, rule: string): string {
  if (!pattern.test(value)) throw new ConfigError(SOURCE, [`${what} ${JSON.stringify(value)} is not valid: ${rule}.`]);
  return value;
}

function flag(what: string, value: string | undefined): boolean {
  if (value === undefined || value === 'true') return true;
  if (value === 'false') return false;
  throw new ConfigError(SOURCE, [`${what} must be true or false, got ${JSON.stringify(value)}.`]);
}

/**
 * The settings from CDK context (first) or the environment, defaults filled in. A bad value is a ConfigError, so
 * `cdk synth` ends with its message (lib/config-exit.ts).
 */
export function deploySettings(
  context: (key: string) => unknown,
  env: Readonly<Record<string, string | undefined>> = process.env,
): DeploySettings {
  const read = (key: keyof typeof SETTING_KEYS): string | undefined => {
    const fromContext = context(SETTING_KEYS[key].context);
    if (fromContext !== undefined) return String(fromContext);
    const fromEnv = env[SETTING_KEYS[key].env];
    return fromEnv === '' ? undefined : fromEnv;
  };
  const stackName = checked(
    'Stack name',
    read('stackName') ?? DEFAULT_STACK_NAME,
    STACK_NAME,
    'a letter, then letters, digits and hyphens (at most 128)',
  );
  return {
    stackName,
    stage: checked('Stage', read('stage') ?? DEFAULT_STAGE, STAGE, 'letters, digits, - and _ (at most 128)'),
    metricsNamespace: checked(
      'Metrics namespace',
      read('metricsNamespace') ?? metricsNamespaceFor(stackName),
      NAMESPACE,
      'letters, digits and .-_/#: (at most 255), not starting with AWS/',
    ),
    apiGatewayAccount: flag('apiGatewayAccount', read('apiGatewayAccount')),
  };
}
