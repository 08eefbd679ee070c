import { parseConfig, setGatewayConfig } from '../../lambdas/config/load.js';
import { closeDynamo } from '../../lambdas/store/client.js';
import { startHttpServer, type HttpServerHandle } from '../../local/server.js';
import { unusedPort } from '../helpers/ports.js';
import { startFakeSecretsManager, type FakeSecretsManager } from '../helpers/fake-secrets-manager.js';

// Readiness against dependencies that fail: a store port nobody listens on, a Secrets Manager that denies.
const SECRET_VALUE = 'sk-ant-NEVER-IN-A-BODY';
let fake: FakeSecretsManager;
let server: HttpServerHandle;

beforeAll(async () => {
  fake = await startFakeSecretsManager();
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = fake.endpoint;
  process.env.PROVIDER_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:keys';
  process.env.DYNAMODB_ENDPOINT = `http://127.0.0.1:${await unusedPort()}`;
  setGatewayConfig(parseConfig('{"providers":{"anthropic":{"type":"anthropic"}}}', 'test'));
  const { handler } = await import('../../lambdas/handlers/health.js');
  server = await startHttpServer({ handlers: { health: handler }, port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server.stop(100);
  closeDynamo();
  await fake.close();
  delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
  delete process.env.PROVIDER_SECRET_ARN;
  delete process.env.DYNAMODB_ENDPOINT;
});

const ready = async () => {
  const res = await fetch(`http://127.0.0.1:${server.port}/health/ready`);
  const text = await res.text();
  return {
    status: res.status,
    text,
    body: JSON.parse(text) as { status: string; checks: Record<string, { status: string; detail?: string }> },
  };
};

it('503 naming the store and the secret when both fail', async () => {
  fake.answer = { errorType: 'AccessDeniedException', status: 400 };
  const { status, body } = await ready();
  expect(status).toBe(503);
  expect(body.status).toBe('fail');
  expect(body.checks.config).toEqual({ status: 'ok' });
  expect(body.checks.store?.status).toBe('fail');
  expect(body.checks.store?.detail).toMatch(/^store did not answer: /);
  expect(body.checks.secrets).toEqual({
    status: 'fail',
    detail: 'the provider key secret cannot be read (AccessDeniedException)',
  });
});

it('once the secret reads, only the store is named — and the key never appears', async () => {
  fake.answer = { secretString: JSON.stringify({ anthropic: SECRET_VALUE }) };
  const { status, body, text } = await ready();
  expect(status).toBe(503);
  expect(body.checks.secrets).toEqual({ status: 'ok' });
  expect(body.checks.store?.status).toBe('fail');
  expect(text).not.toContain(SECRET_VALUE);
  expect(fake.calls.length).toBeGreaterThanOrEqual(2);
});
