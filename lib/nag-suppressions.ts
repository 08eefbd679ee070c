import { Validations } from 'aws-cdk-lib';
import type { Method, RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';
import type { FunctionName } from '../lambdas/api/routes.js';
import type { GatewayConfig } from '../lambdas/config/schema.js';
import type { RouteMethod } from './api-routes.js';
import { bedrockAccess, wildcardResources } from './bedrock-access.js';
import { functionSpecs } from './function-specs.js';
import { API_KEYS_WILDCARD, TAGS_WILDCARD, type GatewayFunction } from './function-construct.js';

/**
 * The parts of the stack the acknowledgments name. GatewayStack has them; declared here rather than importing the
 * stack, which imports this file (no import cycle).
 */
export interface NagSubject {
  readonly config: Pick<GatewayConfig, 'providers' | 'models'>;
  readonly api: RestApi;
  readonly providerSecret: Secret;
  readonly functions: ReadonlyMap<FunctionName, GatewayFunction>;
  readonly routeMethods: readonly RouteMethod[];
  readonly corsPreflights: readonly Method[];
  /** The ledger-rebook function's (lib/ledger-rebook.ts), when there is one. */
  readonly ledgerRebook?: { readonly fn: GatewayFunction } | undefined;
}

const OPEN_ROUTE =
  'Open by design: health probes, the API documentation and the 404/405 fallback return no tenant data and call no ' +
  'provider, and the fallback must answer unknown paths and methods without credentials.';

const CORS_PREFLIGHT =
  'CORS preflight: browsers send OPTIONS without credentials, so it must be open; a mock integration answers it ' +
  'with headers only (no function, no data), and only for the origins the configuration lists.';
const KEY_ROUTE_COG4 =
  'Gateway keys are checked by the Lambda REQUEST authorizer on this method (AuthorizationType CUSTOM); tenants are ' +
  'not Cognito users, so a Cognito user pool authorizer does not apply.';

const ADMIN_ROUTE_COG4 =
  'Administration is authorized with IAM (SigV4, AuthorizationType AWS_IAM): operators use their AWS credentials and ' +
  'IAM policies, not Cognito users.';

const BEDROCK_PROFILE_MODEL =
  'A geographic cross-region inference profile routes each call to the foundation model in any region of its ' +
  'geography, a list AWS sets per model and extends over time; the statement allows this one model only through ' +
  'the configured profile (condition bedrock:InferenceProfileArn), so the region wildcard reaches exactly the ' +
  "profile's destination regions and nothing else.";

/** How cdk-nag writes the stack's partition and account in a finding. */
const NAG_SCOPE = { partition: '<AWS::Partition>', account: '<AWS::AccountId>' } as const;

/** The CloudFormation resource of an L2 construct: acknowledgments stay as narrow as the finding. */
const cfn = (construct: IConstruct): IConstruct => construct.node.defaultChild ?? construct;

/**
 * The cdk-nag rules this stack does not meet, each acknowledged on the narrowest construct with the reason.
 * IDs are unqualified (`AwsSolutions-…`): cdk-nag matches those; findings are `Rule[finding]`.
 */
export function applyNagSuppressions(stack: NagSubject): void {
  Validations.of(cfn(stack.api)).acknowledge({
    id: 'AwsSolutions-APIG2',
    reason:
      'Request bodies are validated in the Lambdas with zod schemas, which answer in the OpenAI error shape ' +
      'clients expect; API Gateway model validation would answer 400s in a different shape.',
  });
  Validations.of(cfn(stack.api.deploymentStage)).acknowledge({
    id: 'AwsSolutions-APIG3',
    reason:
      'A WAF web ACL is an organisation-level choice (shared ACLs, Firewall Manager) and costs per request; ' +
      'operators can associate one with the stage without changing this stack.',
  });
  // Only when the stack sets the account's API Gateway CloudWatch role (deploy setting apiGatewayAccount).
  const cloudWatchRole = stack.api.node.tryFindChild('CloudWatchRole');
  if (cloudWatchRole !== undefined)
    Validations.of(cfn(cloudWatchRole)).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'This is the account-level role API Gateway uses to write execution and access logs; AWS documents and ' +
        'maintains this managed policy for exactly that, and only apigateway.amazonaws.com can assume the role.',
    });
  Validations.of(cfn(stack.providerSecret)).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'The secret holds third-party provider API keys (OpenAI, Anthropic, …) that only the provider can issue; ' +
      'Secrets Manager cannot rotate them, so operators rotate them at the provider and update the secret.',
  });

  const rebook = stack.ledgerRebook === undefined ? [] : [stack.ledgerRebook.fn];
  for (const fn of [...stack.functions.values(), ...rebook]) {
    Validations.of(cfn(fn)).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The runtime is pinned to Node.js 22 to match Middy 7 and the local toolchain (the same major runs ' +
        '`npm start` and the tests); moving to a newer runtime is a deliberate upgrade of both together.',
    });
    Validations.of(fn.executionRole.node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, and the ledger aggregator's stream " +
        'event source dynamodb:ListStreams, which support no resource-level permissions, so "*" is the only ' +
        'possible resource; the stack tests fail on any other wildcard resource.',
    });
  }

  for (const [name, fn] of stack.functions) {
    if (functionSpecs[name].usagePlans !== 'manage') continue;
    Validations.of(fn.executionRole.node.findChild('DefaultPolicy')).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::${API_KEYS_WILDCARD}]`,
      reason:
        'apigateway:DELETE on API keys: the admin function deletes an API key it has just created when it lost a ' +
        'creation race, and an API key id exists only once created, so no narrower resource can be named.',
    });
    Validations.of(fn.executionRole.node.findChild('DefaultPolicy')).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::${TAGS_WILDCARD}]`,
      reason:
        'apigateway:PUT on tags: each API key the admin function creates is tagged with its stack (tagging on ' +
        'create), and the new key exists only once created, so no narrower resource can be named.',
    });
  }

  const profileModels = wildcardResources(bedrockAccess(stack.config, NAG_SCOPE));
  for (const [name, fn] of stack.functions) {
    if (functionSpecs[name].bedrock !== 'invoke') continue;
    for (const resource of profileModels) {
      Validations.of(fn.executionRole.node.findChild('DefaultPolicy')).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${resource}]`,
        reason: BEDROCK_PROFILE_MODEL,
      });
    }
  }

  for (const { method, access } of stack.routeMethods) {
    const findings =
      access.kind === 'open'
        ? [
            { id: 'AwsSolutions-APIG4', reason: OPEN_ROUTE },
            { id: 'AwsSolutions-COG4', reason: OPEN_ROUTE },
          ]
        : [{ id: 'AwsSolutions-COG4', reason: access.kind === 'key' ? KEY_ROUTE_COG4 : ADMIN_ROUTE_COG4 }];
    Validations.of(cfn(method)).acknowledge(...findings);
  }
  for (const method of stack.corsPreflights) {
    Validations.of(cfn(method)).acknowledge(
      { id: 'AwsSolutions-APIG4', reason: CORS_PREFLIGHT },
      { id: 'AwsSolutions-COG4', reason: CORS_PREFLIGHT },
    );
  }
}
