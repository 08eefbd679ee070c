import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { routes, type FunctionName } from '../../lambdas/api/routes.js';
import { parseConfig } from '../../lambdas/config/load.js';
import { functionNames } from '../../lib/api-routes.js';
import { GatewayStack } from '../../lib/gateway-stack.js';
import { DEFAULT_CONFIG_FILE } from '../../lib/paths.js';
import { render } from '../helpers/cfn-render.js';
import { tempDir } from '../helpers/tmp.js';

// The Bedrock permissions of the synthesized stack (lib/bedrock-access.ts), without bundling, with cdk-nag.

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}
interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } };
}

const REPO_CONFIG = JSON.parse(readFileSync(DEFAULT_CONFIG_FILE, 'utf8')) as Record<string, unknown>;
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const SONNET = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const SONNET_4 = 'anthropic.claude-sonnet-4-20250514-v1:0';

/** The repository's configuration plus a Bedrock provider: a foundation model, a US and a global profile, a guardrail. */
const BEDROCK_CONFIG = {
  ...REPO_CONFIG,
  providers: { ...(REPO_CONFIG.providers as object), bedrock: { type: 'bedrock', region: 'us-east-1' } },
  models: {
    ...(REPO_CONFIG.models as object),
    'bedrock-haiku': {
      targets: [{ provider: 'bedrock', model: HAIKU, guardrail: { identifier: 'gr1abc', version: '1' } }],
    },
    'bedrock-sonnet': {
      targets: [
        { provider: 'bedrock', model: `us.${SONNET}` },
        { provider: 'openai', model: 'gpt-4o-mini' },
      ],
    },
    'bedrock-global': { targets: [{ provider: 'bedrock', model: `global.${SONNET_4}`, region: 'us-east-2' }] },
  },
};

interface Synthesized {
  stack: GatewayStack;
  resources: Record<string, CfnResource>;
  nagFindings: string[];
}

let dir: { path: string; remove: () => void };
let synths = 0;
function synth(config: Record<string, unknown>): Synthesized {
  const configFile = join(dir.path, `gateway.config.${(synths += 1)}.json`);
  const text = JSON.stringify(config);
  writeFileSync(configFile, text);
  const app = new App({ outdir: join(dir.path, `cdk.out.${synths}`), context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new GatewayStack(app, 'BedrockGateway', { config: parseConfig(text, configFile), configFile });
  const nag = new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true });
  app.synth();
  const nagFindings = nag
    .validateScope(app)
    .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
  expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, CfnResource>;
  return { stack, resources, nagFindings };
}

/** Every statement of the role of function `name` (its inline policies and the policies attached to it). */
function statementsOf(s: Synthesized, name: FunctionName): Statement[] {
  const fnId = s.stack.getLogicalId(s.stack.functionOf(name).node.defaultChild as CfnElement);
  const role = (s.resources[fnId]?.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const documents = Object.entries(s.resources).flatMap(([id, r]) => {
    if (id === role)
      return ((r.Properties?.Policies ?? []) as { PolicyDocument: unknown }[]).map((p) => p.PolicyDocument);
    if (r.Type !== 'AWS::IAM::Policy') return [];
    return JSON.stringify(r.Properties?.Roles).includes(JSON.stringify({ Ref: role }))
      ? [r.Properties?.PolicyDocument]
      : [];
  });
  return documents.flatMap((d) => (d as { Statement: Statement[] }).Statement);
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The Bedrock statements of a function, rendered (<AWS::Partition>, <AWS::AccountId>). */
const bedrockOf = (s: Synthesized, name: FunctionName) =>
  statementsOf(s, name)
    .filter((st) => asList(st.Action).some((a) => a.startsWith('bedrock:')))
    .map((st) => ({
      Sid: st.Sid,
      Effect: st.Effect,
      Action: asList(st.Action),
      Resource: asList(st.Resource).map(render),
      ...(st.Condition === undefined
        ? {}
        : {
            Condition: Object.fromEntries(
              Object.entries(st.Condition).map(([op, keys]) => [
                op,
                Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, asList(v).map(render)])),
              ]),
            ),
          }),
    }));

const INVOKE = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];
const PROFILE = (region: string, id: string) =>
  `arn:<AWS::Partition>:bedrock:${region}:<AWS::AccountId>:inference-profile/${id}`;
const MODEL = (region: string, id: string) => `arn:<AWS::Partition>:bedrock:${region}::foundation-model/${id}`;
const US_MODEL_WILDCARD = `AwsSolutions-IAM5[Resource::${MODEL('*', SONNET)}]`;

let repo: Synthesized;
let bedrock: Synthesized;
beforeAll(() => {
  dir = tempDir('stack-bedrock-test');
  repo = synth(REPO_CONFIG);
  bedrock = synth(BEDROCK_CONFIG);
});
afterAll(() => dir.remove());

describe('Bedrock IAM', () => {
  test('without a Bedrock target (the repository configuration): no Bedrock permission anywhere', () => {
    const all = Object.values(repo.resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::Role')
      .map((r) => JSON.stringify(r.Properties));
    expect(all.filter((text) => text.includes('bedrock'))).toEqual([]);
  });

  test('chat may invoke exactly the configured models and profiles, the routed models only through them, and apply the guardrail', () => {
    expect(bedrockOf(bedrock, 'chat')).toEqual([
      {
        Sid: 'BedrockInvoke',
        Effect: 'Allow',
        Action: INVOKE,
        Resource: [
          MODEL('us-east-1', HAIKU),
          PROFILE('us-east-1', `us.${SONNET}`),
          PROFILE('us-east-2', `global.${SONNET_4}`),
        ],
      },
      {
        Sid: 'BedrockInvokeThroughProfiles',
        Effect: 'Allow',
        Action: INVOKE,
        Resource: [MODEL('*', SONNET), MODEL('', SONNET_4), MODEL('us-east-2', SONNET_4)],
        Condition: {
          StringLike: {
            'bedrock:InferenceProfileArn': [
              PROFILE('us-east-1', `us.${SONNET}`),
              PROFILE('us-east-2', `global.${SONNET_4}`),
            ],
          },
        },
      },
      {
        Sid: 'BedrockGuardrails',
        Effect: 'Allow',
        Action: ['bedrock:ApplyGuardrail'],
        Resource: ['arn:<AWS::Partition>:bedrock:us-east-1:<AWS::AccountId>:guardrail/gr1abc'],
      },
    ]);
  });

  test('no other function may call Bedrock', () => {
    for (const name of functionNames(routes).filter((n) => n !== 'chat')) {
      expect({ name, bedrock: bedrockOf(bedrock, name) }).toEqual({ name, bedrock: [] });
    }
  });

  test('cdk-nag: no finding; the one wildcard (the US profile’s model in any region) is acknowledged on chat’s policy only', () => {
    expect(bedrock.nagFindings).toEqual([]);
    expect(repo.nagFindings).toEqual([]);
    const holders = (s: Synthesized, id: string) =>
      Object.keys(s.resources).filter((logicalId) =>
        (s.resources[logicalId]?.Metadata?.cdk_nag?.rules_to_suppress ?? []).some((a) => a.id === id),
      );
    const chatPolicy = bedrock.stack.getLogicalId(
      bedrock.stack.functionOf('chat').executionRole.node.findChild('DefaultPolicy').node.defaultChild as CfnElement,
    );
    expect(holders(bedrock, US_MODEL_WILDCARD)).toEqual([chatPolicy]);
    const bedrockAcknowledgments = Object.values(bedrock.resources)
      .flatMap((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? [])
      .filter((a) => a.id.includes('bedrock'));
    expect(bedrockAcknowledgments.map((a) => a.id)).toEqual([US_MODEL_WILDCARD]);
    expect(bedrockAcknowledgments[0]?.reason).toMatch(/bedrock:InferenceProfileArn/);
    expect(
      Object.values(repo.resources).flatMap((r) =>
        (r.Metadata?.cdk_nag?.rules_to_suppress ?? []).filter((a) => a.id.includes('bedrock')),
      ),
    ).toEqual([]);
  });

  test('a target naming a non-Bedrock ARN stops synth with its path', () => {
    const broken = {
      ...BEDROCK_CONFIG,
      models: { x: { targets: [{ provider: 'bedrock', model: 'arn:aws:s3:::bucket' }] } },
    };
    expect(() => synth(broken)).toThrow(/models\.x\.targets\.0\.model: "arn:aws:s3:::bucket" is not a Bedrock ARN/);
  });
});
