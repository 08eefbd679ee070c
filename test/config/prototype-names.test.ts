import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { DynamoDBClient } from '../../lambdas/aws-http/dynamodb.js';
import { ConfigError, parseConfig } from '../../lambdas/config/load.js';
import { ApiGatewayUsageKeys } from '../../lambdas/keys/usage-keys.js';
import { providersWithoutKey } from '../../lambdas/secrets/provider-keys.js';

// Lookups by a configured or stored name (issue 14, item 3) where the name is `constructor`, `toString`, … : an own
// entry or none, never what Object.prototype has under that name. The lookups reachable from outside are tested end
// to end in test/e2e/prototype-names.test.ts.

function problemsOf(config: unknown): readonly string[] {
  try {
    parseConfig(JSON.stringify(config), 'gw.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const echo = { echo: { type: 'echo' } };

describe('configuration names that every object has', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty'])('auth.defaultPlan "%s" is an unknown plan', (plan) => {
    expect(problemsOf({ providers: echo, auth: { defaultPlan: plan } }).join('\n')).toMatch(
      /auth\.defaultPlan.*unknown plan/,
    );
  });

  it.each(['constructor', 'valueOf'])('a target on provider "%s" names an unknown provider', (provider) => {
    const problems = problemsOf({ providers: echo, models: { a: { targets: [{ provider, model: 'm' }] } } });
    expect(problems.join('\n')).toMatch(/models\.a\.targets\[0\]\.provider.*unknown provider/);
  });

  it('prices for provider "toString" name an unknown provider', () => {
    const problems = problemsOf({ providers: echo, prices: { toString: { m: { input: 1, output: 1 } } } });
    expect(problems.join('\n')).toMatch(/prices\.toString.*unknown provider/);
  });

  it('a provider, alias and plan really named "constructor" are configured like any other', () => {
    const config = parseConfig(
      JSON.stringify({
        providers: { constructor: { type: 'echo' } },
        models: { constructor: { targets: [{ provider: 'constructor', model: 'echo-1' }] } },
        plans: { constructor: { rateLimit: 1, burstLimit: 1 } },
        auth: { defaultPlan: 'constructor' },
      }),
      'gw.json',
    );
    expect(Object.hasOwn(config.models, 'constructor')).toBe(true);
  });
});

describe('provider keys', () => {
  it('a provider named "constructor" or "toString" without a key is listed as such', () => {
    const config = parseConfig(
      JSON.stringify({
        providers: {
          constructor: { type: 'openai', apiKeyEnv: 'NONE_1' },
          toString: { type: 'anthropic', baseURL: 'http://127.0.0.1:1', apiKeyEnv: 'NONE_2' },
        },
      }),
      'gw.json',
    );
    expect(providersWithoutKey(config, {}).sort()).toEqual(['constructor', 'toString']);
  });
});

describe('usage-plan keys in AWS', () => {
  it('a plan named "constructor" has no deployed usage plan: refused before any API Gateway call', async () => {
    const dynamo = { send: async () => ({}) } as unknown as DynamoDBClient;
    const calls: unknown[] = [];
    const apigateway = { send: async (command: unknown) => calls.push(command) } as unknown as APIGatewayClient;
    const keys = new ApiGatewayUsageKeys(dynamo, 'table', { default: 'plan-id' }, apigateway);
    await expect(keys.forTenant('t', 'constructor')).rejects.toThrow('no usage plan deployed for plan constructor');
    expect(calls).toEqual([]);
  });
});
