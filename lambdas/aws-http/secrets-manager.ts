import type { GetSecretValueCommandInput, GetSecretValueCommandOutput } from '@aws-sdk/client-secrets-manager';
import { JsonServiceClient, type AwsClientConfig, type JsonCommand, type JsonProtocol } from './json-client.js';
import { AwsServiceError } from './service-error.js';

export class ResourceNotFoundException extends AwsServiceError {}

const SECRETS_MANAGER: JsonProtocol = {
  hostPrefix: 'secretsmanager',
  envVar: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  targetPrefix: 'secretsmanager',
  contentType: 'application/x-amz-json-1.1',
  exceptions: { ResourceNotFoundException },
  parse: (text) => JSON.parse(text) as unknown,
};

/** The Secrets Manager client of the data plane (GetSecretValue): JSON 1.1, no SDK loaded. */
export class SecretsManagerClient extends JsonServiceClient {
  constructor(config: AwsClientConfig = {}) {
    super(SECRETS_MANAGER, config);
  }
}

/** Reads a secret's value. `SecretBinary` stays base64 text (the gateway's secret is a string). */
export class GetSecretValueCommand implements JsonCommand<GetSecretValueCommandInput, GetSecretValueCommandOutput> {
  readonly operation = 'GetSecretValue';
  declare readonly outputType?: GetSecretValueCommandOutput;
  constructor(readonly input: GetSecretValueCommandInput) {}
}
