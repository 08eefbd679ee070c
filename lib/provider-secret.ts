import { SecretValue, type RemovalPolicy } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

export const PROVIDER_SECRET_DESCRIPTION =
  'LLM Gateway provider API keys: a JSON object mapping each provider name of gateway.config.json to its key, ' +
  'e.g. {"openai":"<key>","anthropic":"<key>"}. Providers of type "echo" need none. Set it with ' +
  '`aws secretsmanager put-secret-value --secret-id <this ARN> --secret-string file://provider-keys.json`; ' +
  'functions re-read it within minutes, and /health/ready names providers still without a key.';

/**
 * The secret holding provider keys. It starts as `{}`; operators fill it after deploying. CloudFormation writes the
 * initial value only on create (the template value never changes), so deployments do not reset the keys.
 */
export function createProviderSecret(scope: Construct, removalPolicy: RemovalPolicy): Secret {
  return new Secret(scope, 'ProviderSecret', {
    description: PROVIDER_SECRET_DESCRIPTION,
    secretStringValue: SecretValue.unsafePlainText('{}'),
    removalPolicy,
  });
}
