import { environmentCredentials } from '../../lambdas/aws-http/credentials.js';
import { DynamoDBClient, GetItemCommand } from '../../lambdas/aws-http/dynamodb.js';
import { resolveEndpoint } from '../../lambdas/aws-http/endpoint.js';
import { backoffMs, retryKind } from '../../lambdas/aws-http/retry.js';

// Endpoint precedence (the AWS SDK's environment configuration, with the client's own endpoint first: store/client.ts
// passes DYNAMODB_ENDPOINT), credentials from Lambda's environment, and which failures are retried.

const DYNAMODB = { hostPrefix: 'dynamodb', envVar: 'AWS_ENDPOINT_URL_DYNAMODB' };
const SECRETS = { hostPrefix: 'secretsmanager', envVar: 'AWS_ENDPOINT_URL_SECRETS_MANAGER' };

describe('endpoint precedence', () => {
  const env = {
    AWS_REGION: 'eu-central-1',
    AWS_ENDPOINT_URL: 'http://all:1',
    AWS_ENDPOINT_URL_DYNAMODB: 'http://dynamo:2',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://secrets:3',
  };

  it('the client’s endpoint > the service’s variable > AWS_ENDPOINT_URL > the AWS endpoint of the region', () => {
    expect(resolveEndpoint(DYNAMODB, { endpoint: 'http://own:4' }, env).url.href).toBe('http://own:4/');
    expect(resolveEndpoint(DYNAMODB, {}, env).url.href).toBe('http://dynamo:2/');
    expect(resolveEndpoint(SECRETS, {}, env).url.href).toBe('http://secrets:3/');
    const { AWS_ENDPOINT_URL_DYNAMODB: _d, ...withoutDynamo } = env;
    expect(resolveEndpoint(DYNAMODB, {}, withoutDynamo).url.href).toBe('http://all:1/');
    expect(resolveEndpoint(DYNAMODB, {}, { AWS_REGION: 'eu-central-1' }).url.href).toBe(
      'https://dynamodb.eu-central-1.amazonaws.com/',
    );
    expect(resolveEndpoint(SECRETS, {}, { AWS_DEFAULT_REGION: 'ap-south-1' })).toEqual({
      url: new URL('https://secretsmanager.ap-south-1.amazonaws.com/'),
      region: 'ap-south-1',
    });
  });

  it('the region: the client’s, else AWS_REGION; none and no endpoint: a clear error', () => {
    expect(resolveEndpoint(DYNAMODB, { region: 'local', endpoint: 'http://x:1' }, env).region).toBe('local');
    expect(resolveEndpoint(DYNAMODB, {}, env).region).toBe('eu-central-1');
    expect(() => resolveEndpoint(DYNAMODB, {}, {})).toThrow('no AWS region for dynamodb: set AWS_REGION');
  });
});

describe('credentials', () => {
  it('come from Lambda’s variables, the session token when set', () => {
    expect(
      environmentCredentials({ AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't' }),
    ).toEqual({ accessKeyId: 'AKID', secretAccessKey: 's', sessionToken: 't' });
    expect(environmentCredentials({ AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 's' })).toEqual({
      accessKeyId: 'AKID',
      secretAccessKey: 's',
    });
  });

  it('missing: the call fails (not the import or the constructor) with a message that names no value', async () => {
    const saved = { ...process.env };
    process.env.AWS_ACCESS_KEY_ID = 'AKIDVISIBLE';
    delete process.env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_SESSION_TOKEN = 'token-secret-value';
    process.env.AWS_REGION = 'us-east-1';
    try {
      const client = new DynamoDBClient({ endpoint: 'http://127.0.0.1:9' });
      const err = (await client
        .send(new GetItemCommand({ TableName: 't', Key: {} }))
        .catch((e: unknown) => e)) as Error;
      expect(err.name).toBe('CredentialsProviderError');
      expect(err.message).toMatch(/AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
      expect(err.message).not.toContain('AKIDVISIBLE');
      expect(err.message).not.toContain('token-secret-value');
      client.destroy();
    } finally {
      process.env = saved;
    }
  });
});

describe('retry classification (the SDK standard mode)', () => {
  const answered = (name: string, status: number) => ({ name, $metadata: { httpStatusCode: status } });

  it('throttling, server faults and network errors are retried; client errors and aborts are not', () => {
    expect(retryKind(answered('ThrottlingException', 400))).toBe('throttling');
    expect(retryKind(answered('ProvisionedThroughputExceededException', 400))).toBe('throttling');
    expect(retryKind(answered('RequestLimitExceeded', 400))).toBe('throttling');
    expect(retryKind(answered('Whatever', 429))).toBe('throttling');
    expect(retryKind(answered('InternalServerError', 500))).toBe('transient');
    expect(retryKind(answered('ServiceUnavailable', 503))).toBe('transient');
    expect(retryKind(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe('transient');
    expect(retryKind(Object.assign(new Error('x'), { code: 'EPIPE' }))).toBe('transient');
    expect(retryKind(Object.assign(new Error('x'), { code: 'ETIMEDOUT' }))).toBe('transient');
    expect(retryKind(answered('ConditionalCheckFailedException', 400))).toBeUndefined();
    expect(retryKind(answered('TransactionCanceledException', 400))).toBeUndefined();
    expect(retryKind(answered('ValidationException', 400))).toBeUndefined();
    expect(retryKind(answered('NotImplemented', 501))).toBeUndefined();
    expect(retryKind(Object.assign(new Error('aborted'), { name: 'AbortError', code: 'ECONNRESET' }))).toBeUndefined();
  });

  it('full jitter under min(base × 2^i, 20 s): base 50 ms, 1 s after throttling', () => {
    expect(backoffMs('transient', 0, () => 0.999)).toBe(49);
    expect(backoffMs('transient', 2, () => 0.5)).toBe(100);
    expect(backoffMs('throttling', 1, () => 0.5)).toBe(1000);
    expect(backoffMs('throttling', 10, () => 0.999)).toBe(19980);
    expect(backoffMs('transient', 0, () => 0)).toBe(0);
  });
});
