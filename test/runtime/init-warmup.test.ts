import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { FAKE_SECRET_ARN, startRecorder } from '../../bench/aws-recorder.js';
import { configPath } from '../../lambdas/config/load.js';
import { inLambda, warmUp } from '../../lambdas/runtime/init-warmup.js';
import { gatewayTable } from '../../lambdas/store/tables.js';
import { BUNDLE_FILE, FUNCTION_ENVIRONMENT, functionBuildOptions, RUNTIME_NODE } from '../../lib/function-bundle.js';
import { parsedConfigText } from '../../lib/parsed-config.js';
import { handlerEntry } from '../../lib/paths.js';

describe('inLambda', () => {
  it('is true only where the Lambda runtime set its task root and execution environment', () => {
    expect(inLambda({ LAMBDA_TASK_ROOT: '/var/task', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' })).toBe(true);
    expect(inLambda({ LAMBDA_TASK_ROOT: '/var/task' })).toBe(false);
    expect(inLambda({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' })).toBe(false);
    expect(inLambda({})).toBe(false);
  });
});

describe('warmUp', () => {
  it('runs every step and resolves when a step fails (the request that needs it reports its own error)', async () => {
    const ran: string[] = [];
    await expect(
      warmUp([
        async () => {
          ran.push('a');
          throw new Error('store unavailable');
        },
        async () => ran.push('b'),
      ]),
    ).resolves.toBeUndefined();
    expect(ran.sort()).toEqual(['a', 'b']);
  });
});

/** Imports the chat bundle in a fresh Node with `env`; resolves once the import has finished (init). */
function importBundle(dir: string, env: Record<string, string>): Promise<void> {
  const script = [
    'globalThis.awslambda = { streamifyResponse: (h) => h, HttpResponseStream: { from: (s) => s } };',
    `const m = await import(${JSON.stringify(pathToFileURL(join(dir, BUNDLE_FILE)).href)});`,
    "if (typeof m.handler !== 'function') throw new Error('no handler');",
    'process.exit(0);',
  ].join('\n');
  return new Promise((resolve, reject) => {
    let err = '';
    const child = spawn(RUNTIME_NODE, ['--input-type=module', '-e', script], { cwd: dir, env });
    child.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the bundle did not start: ${err}`))));
  });
}

describe('the chat function at init', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-warmup-'));
    await build({ ...functionBuildOptions(handlerEntry('chat'), dir), logLevel: 'error' });
    writeFileSync(join(dir, 'gateway.config.json'), parsedConfigText(configPath()));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const environment = (endpoint: string, lambda: boolean): Record<string, string> => ({
    PATH: process.env.PATH ?? '',
    LAMBDA_TASK_ROOT: dir,
    ...(lambda ? { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' } : {}),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret',
    AWS_ENDPOINT_URL: endpoint,
    POWERTOOLS_TRACE_ENABLED: 'false',
    GATEWAY_CONFIG_FORM: FUNCTION_ENVIRONMENT.GATEWAY_CONFIG_FORM,
    [gatewayTable.envVar]: gatewayTable.id,
    PROVIDER_SECRET_ARN: FAKE_SECRET_ARN,
  });

  it('in Lambda reads the provider-key secret and makes the first call of the DynamoDB client before the import ends', async () => {
    const recorder = await startRecorder({ otherDynamoDb: 'empty' });
    try {
      await importBundle(dir, environment(recorder.endpoint, true));
      expect(Object.fromEntries(recorder.calls)).toEqual({
        'secretsmanager:GetSecretValue': 1,
        'dynamodb:GetItem': 1,
      });
    } finally {
      await recorder.close();
    }
  }, 60_000);

  it('outside Lambda calls nothing at import', async () => {
    const recorder = await startRecorder({ otherDynamoDb: 'empty' });
    try {
      await importBundle(dir, environment(recorder.endpoint, false));
      expect(recorder.calls.size).toBe(0);
    } finally {
      await recorder.close();
    }
  }, 60_000);
});
