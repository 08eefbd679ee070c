import { ConfigError, parseConfig } from '../../lambdas/config/load.js';
import { bedrockAccess, wildcardResources, type BedrockStatement } from '../../lib/bedrock-access.js';

const SCOPE = { partition: 'aws', account: '111122223333' };
const INVOKE = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

/** A configuration with a `bedrock` provider in us-east-1 (and an openai one), the aliases given. */
function configWith(models: Record<string, unknown>, providers: Record<string, unknown> = {}) {
  const text = JSON.stringify({
    providers: {
      bedrock: { type: 'bedrock', region: 'us-east-1' },
      openai: { type: 'openai', apiKeyEnv: 'OPENAI_API_KEY' },
      echo: { type: 'echo' },
      ...providers,
    },
    models,
  });
  return parseConfig(text, 'test.json');
}

const chat = (...targets: Record<string, unknown>[]) => ({ targets });
const on = (model: string, extra: Record<string, unknown> = {}) => ({ provider: 'bedrock', model, ...extra });

const access = (models: Record<string, unknown>, providers?: Record<string, unknown>): BedrockStatement[] =>
  bedrockAccess(configWith(models, providers), SCOPE);

describe('bedrockAccess', () => {
  test('no Bedrock target: no statement at all (a bedrock provider alone grants nothing)', () => {
    expect(
      access({ a: chat({ provider: 'openai', model: 'gpt-4o-mini' }), b: chat({ provider: 'echo', model: 'e' }) }),
    ).toEqual([]);
  });

  test('a foundation model id: that model in the provider region, nothing else', () => {
    expect(access({ a: chat(on('anthropic.claude-3-haiku-20240307-v1:0')) })).toEqual([
      {
        sid: 'BedrockInvoke',
        actions: INVOKE,
        resources: ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0'],
      },
    ]);
  });

  test("a target's region wins over the provider's", () => {
    const [statement] = access({ a: chat(on('amazon.titan-embed-text-v2:0', { region: 'eu-west-1' })) });
    expect(statement?.resources).toEqual(['arn:aws:bedrock:eu-west-1::foundation-model/amazon.titan-embed-text-v2:0']);
  });

  test('a geographic profile id: the profile in the source region; the model in any region, only through it', () => {
    const model = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
    const profile = `arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.${model}`;
    expect(access({ a: chat(on(`us.${model}`)) })).toEqual([
      { sid: 'BedrockInvoke', actions: INVOKE, resources: [profile] },
      {
        sid: 'BedrockInvokeThroughProfiles',
        actions: INVOKE,
        resources: [`arn:aws:bedrock:*::foundation-model/${model}`],
        condition: { StringLike: { 'bedrock:InferenceProfileArn': [profile] } },
      },
    ]);
  });

  test('a global profile: the model in the source region and the region-less model ARN, only through it (no wildcard)', () => {
    const model = 'anthropic.claude-sonnet-4-20250514-v1:0';
    const profile = `arn:aws:bedrock:us-east-2:111122223333:inference-profile/global.${model}`;
    const statements = access({ a: chat(on(`global.${model}`, { region: 'us-east-2' })) });
    expect(statements).toEqual([
      { sid: 'BedrockInvoke', actions: INVOKE, resources: [profile] },
      {
        sid: 'BedrockInvokeThroughProfiles',
        actions: INVOKE,
        resources: [
          `arn:aws:bedrock:::foundation-model/${model}`,
          `arn:aws:bedrock:us-east-2::foundation-model/${model}`,
        ],
        condition: { StringLike: { 'bedrock:InferenceProfileArn': [profile] } },
      },
    ]);
    expect(wildcardResources(statements)).toEqual([]);
  });

  test.each(['eu', 'apac', 'jp', 'au', 'ca', 'us-gov'])('the %s geography is a system profile', (geography) => {
    const statements = access({ a: chat(on(`${geography}.amazon.nova-lite-v1:0`)) });
    expect(statements[0]?.resources).toEqual([
      `arn:aws:bedrock:us-east-1:111122223333:inference-profile/${geography}.amazon.nova-lite-v1:0`,
    ]);
    expect(wildcardResources(statements)).toEqual(['arn:aws:bedrock:*::foundation-model/amazon.nova-lite-v1:0']);
  });

  test('a system profile ARN: itself (its partition, region and account), and its model through it', () => {
    const profile =
      'arn:aws-us-gov:bedrock:us-gov-west-1:444455556666:inference-profile/us-gov.anthropic.claude-x-v1:0';
    expect(access({ a: chat(on(profile)) })).toEqual([
      { sid: 'BedrockInvoke', actions: INVOKE, resources: [profile] },
      {
        sid: 'BedrockInvokeThroughProfiles',
        actions: INVOKE,
        resources: ['arn:aws-us-gov:bedrock:*::foundation-model/anthropic.claude-x-v1:0'],
        condition: { StringLike: { 'bedrock:InferenceProfileArn': [profile] } },
      },
    ]);
  });

  test('an application inference profile or a provisioned model ARN: that ARN only', () => {
    const app = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6';
    const provisioned = 'arn:aws:bedrock:us-west-2:111122223333:provisioned-model/xyz';
    expect(access({ a: chat(on(app), on(provisioned)) })).toEqual([
      { sid: 'BedrockInvoke', actions: INVOKE, resources: [app, provisioned] },
    ]);
  });

  test('guardrails: ApplyGuardrail on each, an id in its target region, an ARN as configured', () => {
    const arn = 'arn:aws:bedrock:eu-west-1:111122223333:guardrail/gr-arn';
    const statements = access({
      a: chat(on('meta.llama3-70b-instruct-v1:0', { guardrail: { identifier: 'gr-id', version: '1' } })),
      b: chat(
        on('mistral.mistral-large-2402-v1:0', {
          region: 'eu-west-1',
          guardrail: { identifier: arn, version: 'DRAFT' },
        }),
      ),
    });
    expect(statements.find((s) => s.sid === 'BedrockGuardrails')).toEqual({
      sid: 'BedrockGuardrails',
      actions: ['bedrock:ApplyGuardrail'],
      resources: ['arn:aws:bedrock:us-east-1:111122223333:guardrail/gr-id', arn].sort(),
    });
  });

  test('a guardrail identifier with a wildcard stops synth', () => {
    expect(() =>
      access({ a: chat(on('meta.llama3-70b-instruct-v1:0', { guardrail: { identifier: 'gr-*', version: '1' } })) }),
    ).toThrow(/models\.a\.targets\.0\.guardrail\.identifier: must name one guardrail/);
  });

  test('every Bedrock target of every alias and provider, each resource once, in a stable order', () => {
    const statements = access(
      {
        a: chat(on('anthropic.claude-3-haiku-20240307-v1:0'), { provider: 'openai', model: 'gpt-4o-mini' }),
        b: chat({ provider: 'west', model: 'anthropic.claude-3-haiku-20240307-v1:0' }),
        c: chat(on('anthropic.claude-3-haiku-20240307-v1:0'), on('us.anthropic.claude-3-haiku-20240307-v1:0')),
        d: chat(on('amazon.titan-embed-text-v2:0')),
      },
      { west: { type: 'bedrock', region: 'us-west-2' } },
    );
    expect(statements[0]?.resources).toEqual([
      'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0',
      'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
      'arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
      'arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0',
    ]);
  });

  test('an ARN of another service, or a profile ARN of an unknown geography, stops synth with the path', () => {
    const refused = (model: string): ConfigError => {
      try {
        access({ a: chat(on('anthropic.claude-3-haiku-20240307-v1:0'), on(model)) });
      } catch (err) {
        if (err instanceof ConfigError) return err;
        throw err;
      }
      throw new Error('not refused');
    };
    expect(refused('arn:aws:s3:::bucket/key').problems).toEqual([
      'models.a.targets.1.model: "arn:aws:s3:::bucket/key" is not a Bedrock ARN (arn:<partition>:bedrock:<region>:…)',
    ]);
    expect(refused('anthropic.*').problems).toEqual([
      'models.a.targets.1.model: "anthropic.*" must name one model, without the IAM wildcards * and ?',
    ]);
    expect(refused('us.anthropic.claude-?').problems[0]).toMatch(/without the IAM wildcards/);
    expect(refused('arn:aws:bedrock:us-east-1:1:inference-profile/mars.x-v1:0').problems[0]).toMatch(
      /^models\.a\.targets\.1\.model: unknown cross-region inference profile "mars\.x-v1:0"/,
    );
  });
});
