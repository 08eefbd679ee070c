import { ConfigError } from '../lambdas/config/load.js';
import type { GatewayConfig } from '../lambdas/config/schema.js';

/**
 * The IAM a function calling Bedrock needs, computed from the configuration at synth: exactly the models, inference
 * profiles and guardrails its Bedrock targets name, nothing wider (README, "Amazon Bedrock: permissions").
 *
 * - a foundation model id (`anthropic.claude-…`) in region R → `arn:P:bedrock:R::foundation-model/<id>`;
 * - a cross-region (system) inference profile id (`us.…`, `eu.…`, `apac.…`, `global.…`, …) or its ARN → the profile's
 *   ARN in its source region, and the foundation model it routes to, usable only through that profile (condition
 *   `bedrock:InferenceProfileArn`, as AWS documents for cross-region inference). A geographic profile may route to any
 *   region of its geography, and AWS changes that list per model and over time, so the model is granted in every
 *   region (`bedrock:*::foundation-model/<id>`): the condition keeps it to the profile's own destinations. A global
 *   profile needs the model in the source region and the region-less `bedrock:::foundation-model/<id>`;
 * - any other Bedrock ARN (an application inference profile, a provisioned or custom model) → that ARN; the operator
 *   grants the foundation models an application inference profile copies (they cannot be known at synth);
 * - a guardrail → `bedrock:ApplyGuardrail` on its ARN (the id in the target's region, or the ARN as configured).
 *
 * Pure: the partition and account come in as strings (CloudFormation tokens in the stack, literals in tests).
 */

export const BEDROCK_INVOKE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'] as const;
export const BEDROCK_GUARDRAIL_ACTIONS = ['bedrock:ApplyGuardrail'] as const;

/** The prefixes of Bedrock's system-defined cross-region inference profiles (`<prefix>.<model id>`). */
export const PROFILE_GEOGRAPHIES: readonly string[] = ['us', 'us-gov', 'eu', 'apac', 'jp', 'au', 'ca', 'global'];

export interface AwsScope {
  readonly partition: string;
  readonly account: string;
}

export interface BedrockStatement {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly condition?: { readonly StringLike: { readonly 'bedrock:InferenceProfileArn': readonly string[] } };
}

/** What one target's `model` names, with the ARNs the call is authorized against. */
type ModelRef =
  | { readonly kind: 'arn'; readonly arn: string }
  | { readonly kind: 'profile'; readonly arn: string; readonly routesTo: readonly string[] };

const ARN =
  /^arn:(?<partition>[a-z-]+):(?<service>[a-z0-9-]+):(?<region>[a-z0-9-]*):[0-9]*:(?<type>[a-z-]+)\/(?<id>.+)$/;

const foundationModel = (partition: string, region: string, id: string): string =>
  `arn:${partition}:bedrock:${region}::foundation-model/${id}`;

/** A system profile id `<geography>.<model id>`: the ARNs it is authorized against. */
function profileRef(arn: string, profileId: string, sourceRegion: string, partition: string): ModelRef | undefined {
  const dot = profileId.indexOf('.');
  const geography = profileId.slice(0, dot);
  if (dot < 0 || !PROFILE_GEOGRAPHIES.includes(geography)) return undefined;
  const modelId = profileId.slice(dot + 1);
  const routesTo =
    geography === 'global'
      ? [foundationModel(partition, sourceRegion, modelId), foundationModel(partition, '', modelId)]
      : [foundationModel(partition, '*', modelId)];
  return { kind: 'profile', arn, routesTo };
}

/** The ARNs a target's model is authorized against, or the problem with it. */
function modelRef(model: string, region: string, scope: AwsScope, where: string): ModelRef | string {
  if (/[*?]/.test(model)) return `${where}: "${model}" must name one model, without the IAM wildcards * and ?`;
  if (!model.startsWith('arn:')) {
    const arn = `arn:${scope.partition}:bedrock:${region}:${scope.account}:inference-profile/${model}`;
    return (
      profileRef(arn, model, region, scope.partition) ?? {
        kind: 'arn',
        arn: foundationModel(scope.partition, region, model),
      }
    );
  }
  const { partition, service, region: arnRegion, type, id } = ARN.exec(model)?.groups ?? {};
  if (service !== 'bedrock' || partition === undefined || arnRegion === undefined || id === undefined) {
    return `${where}: "${model}" is not a Bedrock ARN (arn:<partition>:bedrock:<region>:…)`;
  }
  if (type === 'inference-profile') {
    const profile = profileRef(model, id, arnRegion, partition);
    return (
      profile ??
      `${where}: unknown cross-region inference profile "${id}" (its prefix must be one of ${PROFILE_GEOGRAPHIES.join(', ')})`
    );
  }
  return { kind: 'arn', arn: model };
}

function guardrailArn(identifier: string, region: string, scope: AwsScope): string {
  return identifier.startsWith('arn:')
    ? identifier
    : `arn:${scope.partition}:bedrock:${region}:${scope.account}:guardrail/${identifier}`;
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/**
 * The statements the Bedrock targets of `config` need; none without a Bedrock target. A model that names no Bedrock
 * resource is a ConfigError (read from `configFile`): synth stops rather than deploy a role that cannot call it.
 */
export function bedrockAccess(
  config: Pick<GatewayConfig, 'providers' | 'models'>,
  scope: AwsScope,
  configFile = 'gateway.config.json',
): BedrockStatement[] {
  const problems: string[] = [];
  const direct = new Set<string>();
  const profiles = new Set<string>();
  const routed = new Set<string>();
  const guardrails = new Set<string>();
  for (const [alias, model] of Object.entries(config.models)) {
    model.targets.forEach((target, index) => {
      const provider = Object.hasOwn(config.providers, target.provider) ? config.providers[target.provider] : undefined;
      if (provider?.type !== 'bedrock') return;
      const region = target.region ?? provider.region;
      const ref = modelRef(target.model, region, scope, `models.${alias}.targets.${index}.model`);
      if (typeof ref === 'string') problems.push(ref);
      else if (ref.kind === 'arn') direct.add(ref.arn);
      else {
        profiles.add(ref.arn);
        for (const arn of ref.routesTo) routed.add(arn);
      }
      const guardrail = target.guardrail?.identifier;
      if (guardrail !== undefined && /[*?]/.test(guardrail)) {
        problems.push(
          `models.${alias}.targets.${index}.guardrail.identifier: must name one guardrail, without * and ?`,
        );
      } else if (guardrail !== undefined) guardrails.add(guardrailArn(guardrail, region, scope));
    });
  }
  if (problems.length > 0) throw new ConfigError(configFile, problems);
  const statements: BedrockStatement[] = [];
  if (direct.size + profiles.size > 0) {
    statements.push({
      sid: 'BedrockInvoke',
      actions: BEDROCK_INVOKE_ACTIONS,
      resources: [...sorted(direct), ...sorted(profiles)],
    });
  }
  if (profiles.size > 0) {
    statements.push({
      sid: 'BedrockInvokeThroughProfiles',
      actions: BEDROCK_INVOKE_ACTIONS,
      resources: sorted(routed),
      condition: { StringLike: { 'bedrock:InferenceProfileArn': sorted(profiles) } },
    });
  }
  if (guardrails.size > 0) {
    statements.push({ sid: 'BedrockGuardrails', actions: BEDROCK_GUARDRAIL_ACTIONS, resources: sorted(guardrails) });
  }
  return statements;
}

/** The resources of `statements` with a wildcard (the region of a geographic profile's foundation model). */
export const wildcardResources = (statements: readonly BedrockStatement[]): string[] =>
  sorted(statements.flatMap((statement) => statement.resources.filter((resource) => resource.includes('*'))));
