import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { tempDir } from '../helpers/tmp.js';
import { startFakeAws, type AwsRecorded, type FakeAwsState } from './fake-aws.js';
import { cli } from './run-cli.js';

// `llm-gateway stack outputs` and `usage-plan-keys`: CloudFormation and API Gateway called over plain HTTPS with
// SigV4, here a fake of both on 127.0.0.1 (AWS_ENDPOINT_URL_CLOUDFORMATION / _API_GATEWAY); never real AWS.

const credentials = async () => ({
  accessKeyId: 'AKIDTESTSTACKCLI',
  secretAccessKey: 'stack-cli-secret-key-0123456789',
});
const OUTPUTS = {
  ApiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/',
  OpenAIBaseUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/v1',
  AnthropicBaseUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod',
  RestApiId: 'abc123',
  ProviderSecretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ProviderSecret-x1',
};

let fake: Awaited<ReturnType<typeof startFakeAws>>;
let state: FakeAwsState;
const dir = tempDir('stack-cli');
beforeEach(async () => {
  state = {
    stacks: { LlmGateway: OUTPUTS, Other: { ...OUTPUTS, RestApiId: 'zzz999' } },
    usagePlans: [
      { id: 'up1', name: 'LlmGateway-default', apiId: 'abc123', keys: ['k1', 'k2', 'k3'] },
      { id: 'up2', name: 'LlmGateway-pro', apiId: 'abc123', keys: ['k3', 'k4'] },
      { id: 'up3', name: 'Other-default', apiId: 'zzz999', keys: ['k9'] },
    ],
    apiKeys: new Map([
      ['k1', 'lgw-acme-default-1'],
      ['k2', 'lgw-beta-default-2'],
      ['k3', 'lgw-gamma-default-3'],
      ['k4', 'lgw-acme-pro-4'],
      ['k9', 'lgw-other-default-9'],
    ]),
  };
  fake = await startFakeAws(state);
});
afterEach(() => fake.close());
afterAll(() => dir.remove());

const run = (argv: string[], env: Record<string, string> = {}) =>
  cli(argv, {
    env: {
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_CLOUDFORMATION: fake.url,
      AWS_ENDPOINT_URL_API_GATEWAY: fake.url,
      ...env,
    },
    cwd: dir.path,
    credentials,
  });

/** Signs the received request again at its x-amz-date, as AWS checks it. */
async function expectSigned(received: AwsRecorded, service: string): Promise<void> {
  const authorization = String(received.headers.authorization);
  expect(authorization).toMatch(
    new RegExp(`^AWS4-HMAC-SHA256 Credential=AKIDTESTSTACKCLI/\\d{8}/eu-west-1/${service}/aws4_request, `),
  );
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)![1]!.split(';');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = String(received.headers[name]);
  const url = new URL(received.url, 'http://x');
  const amz = String(received.headers['x-amz-date']);
  const signer = new SignatureV4({
    service,
    region: 'eu-west-1',
    credentials: await credentials(),
    sha256: Sha256,
  });
  const again = await signer.sign(
    new HttpRequest({
      method: received.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      ...(received.body === '' ? {} : { body: received.body }),
    }),
    {
      signingDate: new Date(
        `${amz.slice(0, 4)}-${amz.slice(4, 6)}-${amz.slice(6, 8)}T${amz.slice(9, 11)}:${amz.slice(11, 13)}:${amz.slice(13, 15)}Z`,
      ),
    },
  );
  expect(again.headers.authorization).toBe(authorization);
}

describe('stack outputs', () => {
  test('prints every output of the stack, from a DescribeStacks call signed for cloudformation', async () => {
    const result = await run(['stack', 'outputs']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      /^OpenAIBaseUrl +https:\/\/abc123\.execute-api\.eu-west-1\.amazonaws\.com\/prod\/v1$/m,
    );
    expect(result.stdout.trim().split('\n')).toHaveLength(Object.keys(OUTPUTS).length);
    const [request] = fake.requests;
    expect(new URLSearchParams(request!.body).get('StackName')).toBe('LlmGateway');
    await expectSigned(request!, 'cloudformation');
    expect(result.stdout).not.toContain('stack-cli-secret-key');
  });

  test('--json prints them as an object; --stack names another stack', async () => {
    const result = await run(['stack', 'outputs', '--stack', 'Other', '--json']);
    expect(JSON.parse(result.stdout)).toEqual({ ...OUTPUTS, RestApiId: 'zzz999' });
  });

  test('--env-file writes the variables the SDKs, the CLI and the README read (owner-only file)', async () => {
    const result = await run(['stack', 'outputs', '--env-file', '.env.aws']);
    expect(result).toMatchObject({ code: 0, stdout: 'Wrote 5 outputs of LlmGateway (eu-west-1) to .env.aws\n' });
    const file = join(dir.path, '.env.aws');
    const text = readFileSync(file, 'utf8');
    for (const line of [
      'GATEWAY_STACK_NAME=LlmGateway',
      'AWS_REGION=eu-west-1',
      'GATEWAY_URL=https://abc123.execute-api.eu-west-1.amazonaws.com/prod',
      'OPENAI_BASE_URL=https://abc123.execute-api.eu-west-1.amazonaws.com/prod/v1',
      'ANTHROPIC_BASE_URL=https://abc123.execute-api.eu-west-1.amazonaws.com/prod',
      'LLM_GATEWAY_REST_API_ID=abc123',
      'LLM_GATEWAY_OPEN_AI_BASE_URL=https://abc123.execute-api.eu-west-1.amazonaws.com/prod/v1',
      `LLM_GATEWAY_PROVIDER_SECRET_ARN=${OUTPUTS.ProviderSecretArn}`,
    ])
      expect(text.split('\n')).toContain(line);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  test('a stack that does not exist: exit 1 with CloudFormation’s code and message', async () => {
    const result = await run(['stack', 'outputs', '--stack', 'Nope']);
    expect(result).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'error: CloudFormation DescribeStacks Nope: ValidationError: Stack with id Nope does not exist\n',
    });
  });

  test('without a region: exit 2, nothing sent', async () => {
    const result = await cli(['stack', 'outputs'], { env: { AWS_ENDPOINT_URL_CLOUDFORMATION: fake.url }, credentials });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--region or AWS_REGION');
    expect(fake.requests).toEqual([]);
  });

  test.each([
    [['stack', 'inputs']],
    [['stack', 'outputs', '--yes']],
    [['usage-plan-keys', 'list', '--env-file', 'x']],
    [['stack', 'outputs', '--bogus']],
  ])('%j is a usage error', async (argv) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(fake.requests).toEqual([]);
  });
});

describe('usage-plan-keys', () => {
  test('list: the keys in the usage plans of this stack’s REST API only, each once, across pages', async () => {
    const result = await run(['usage-plan-keys', 'list', '--json']);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { id: string }[]).map((k) => k.id).sort()).toEqual(['k1', 'k2', 'k3', 'k4']);
    const apiCalls = fake.requests.filter((r) => r.method === 'GET');
    expect(apiCalls.some((r) => r.url.includes('position='))).toBe(true);
    await expectSigned(apiCalls[0]!, 'apigateway');
  });

  test('delete without --yes deletes nothing and says how many it would', async () => {
    const result = await run(['usage-plan-keys', 'delete']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('deletes the 4 API keys in the usage plans of LlmGateway');
    expect(state.apiKeys.size).toBe(5);
  });

  test('delete --yes deletes exactly this stack’s keys (signed DELETE /apikeys/{id}), another stack’s stay', async () => {
    const result = await run(['usage-plan-keys', 'delete', '--yes']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Deleted 4 API keys of LlmGateway/);
    expect([...state.apiKeys.keys()]).toEqual(['k9']);
    const deletes = fake.requests.filter((r) => r.method === 'DELETE');
    expect(deletes.map((r) => r.url).sort()).toEqual(['/apikeys/k1', '/apikeys/k2', '/apikeys/k3', '/apikeys/k4']);
    await expectSigned(deletes[0]!, 'apigateway');
    expect((await run(['usage-plan-keys', 'delete', '--yes'])).stdout).toBe('Deleted 0 API keys of LlmGateway\n');
  });

  test('keys tagged llm-gateway:stack=<stack> count too, also outside the usage plans; another stack’s tag does not', async () => {
    state.apiKeys.set('k5', 'lgw-acme-old-5');
    state.apiKeys.set('k6', 'lgw-other-old-6');
    Object.assign(state, {
      apiKeyTags: {
        k1: { 'llm-gateway:stack': 'LlmGateway' },
        k5: { 'llm-gateway:stack': 'LlmGateway' },
        k6: { 'llm-gateway:stack': 'Other' },
      },
    });
    const result = await run(['usage-plan-keys', 'list', '--json']);
    expect((JSON.parse(result.stdout) as { id: string }[]).map((k) => k.id).sort()).toEqual([
      'k1',
      'k2',
      'k3',
      'k4',
      'k5',
    ]);
    expect((await run(['usage-plan-keys', 'delete', '--yes'])).stdout).toMatch(/^Deleted 5 API keys of LlmGateway/);
    expect([...state.apiKeys.keys()].sort()).toEqual(['k6', 'k9']);
  });

  test('after the stack is gone its tagged keys are still listed and deleted; nothing else is', async () => {
    state.apiKeys.set('k7', 'lgw-acme-default-7');
    Object.assign(state, {
      apiKeyTags: { k7: { 'llm-gateway:stack': 'Gone' }, k9: { 'llm-gateway:stack': 'Other' } },
    });
    const listed = await run(['usage-plan-keys', 'list', '--stack', 'Gone']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toBe(
      '1 API keys tagged llm-gateway:stack=Gone (the stack is gone):\n  k7  lgw-acme-default-7  (tagged)\n',
    );
    const refused = await run(['usage-plan-keys', 'delete', '--stack', 'Gone']);
    expect(refused.code).toBe(2);
    expect(state.apiKeys.has('k7')).toBe(true);
    const deleted = await run(['usage-plan-keys', 'delete', '--yes', '--stack', 'Gone']);
    expect(deleted.stdout).toMatch(/^Deleted 1 API keys of Gone/);
    expect(state.apiKeys.has('k7')).toBe(false);
    expect(state.apiKeys.size).toBe(5);
    expect((await run(['stack', 'outputs', '--stack', 'Gone'])).stderr).toContain('does not exist');
  });
});
