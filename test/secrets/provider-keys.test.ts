import { SecretsManagerClient } from '../../lambdas/aws-http/secrets-manager.js';
import { parseConfig } from '../../lambdas/config/load.js';
import {
  EnvKeySource,
  ProviderKeysError,
  SecretsManagerKeySource,
  providersWithoutKey,
} from '../../lambdas/secrets/provider-keys.js';
import { startFakeSecretsManager, type FakeSecretsManager } from '../helpers/fake-secrets-manager.js';

const ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:provider-keys';
const SECRET_VALUE = 'sk-test-DO-NOT-LEAK-1234567890';

let fake: FakeSecretsManager;
let client: SecretsManagerClient;
beforeAll(async () => {
  fake = await startFakeSecretsManager();
  client = new SecretsManagerClient({
    endpoint: fake.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await fake.close();
});
beforeEach(() => {
  fake.calls.length = 0;
});

describe('SecretsManagerKeySource', () => {
  it('reads the JSON object once, then serves it from cache until the TTL passes', async () => {
    let now = 1_000_000;
    const source = new SecretsManagerKeySource(ARN, client, 60_000, () => now);
    fake.answer = { secretString: JSON.stringify({ openai: SECRET_VALUE }) };
    expect(await source.keys()).toEqual({ openai: SECRET_VALUE });
    now += 59_000;
    await source.keys();
    expect(fake.calls).toEqual([ARN]);
    now += 2_000;
    fake.answer = { secretString: JSON.stringify({ openai: 'sk-rotated' }) };
    expect(await source.keys()).toEqual({ openai: 'sk-rotated' });
    expect(fake.calls).toHaveLength(2);
  });

  it('concurrent first reads share one call', async () => {
    const source = new SecretsManagerKeySource(ARN, client);
    fake.answer = { secretString: '{}' };
    await Promise.all([source.keys(), source.keys(), source.keys()]);
    expect(fake.calls).toHaveLength(1);
  });

  it('a denied read fails with the AWS error name and nothing else', async () => {
    const source = new SecretsManagerKeySource(ARN, client);
    fake.answer = { errorType: 'AccessDeniedException', status: 400 };
    await expect(source.keys()).rejects.toThrow(
      new ProviderKeysError('the provider key secret cannot be read (AccessDeniedException)'),
    );
  });

  it('a secret that is not a JSON object of strings is rejected without echoing it', async () => {
    for (const secretString of [SECRET_VALUE, JSON.stringify([SECRET_VALUE]), JSON.stringify({ openai: 42 })]) {
      const source = new SecretsManagerKeySource(ARN, client);
      fake.answer = { secretString };
      const error = await source.keys().then(
        () => undefined,
        (err: unknown) => err as Error,
      );
      expect(error).toBeInstanceOf(ProviderKeysError);
      expect(error?.message).not.toContain(SECRET_VALUE);
      expect(error?.message).not.toContain('42');
    }
  });

  it('keeps serving the last good keys through a failed refresh, up to twice the TTL', async () => {
    let now = 0;
    const source = new SecretsManagerKeySource(ARN, client, 1000, () => now);
    fake.answer = { secretString: JSON.stringify({ anthropic: SECRET_VALUE }) };
    await source.keys();
    fake.answer = { errorType: 'InternalServiceError', status: 500 };
    now = 1500;
    expect(await source.keys()).toEqual({ anthropic: SECRET_VALUE });
    now = 2500;
    await expect(source.keys()).rejects.toThrow(ProviderKeysError);
  });
});

describe('EnvKeySource', () => {
  const config = parseConfig(
    JSON.stringify({
      providers: {
        openai: { type: 'openai', apiKeyEnv: 'TEST_OPENAI_KEY' },
        anthropic: { type: 'anthropic', apiKeyEnv: 'TEST_ANTHROPIC_KEY' },
        echo: { type: 'echo' },
        bedrock: { type: 'bedrock', region: 'us-east-1' },
      },
    }),
    'test',
  );

  it("takes each provider's key from the variable it names; echo and bedrock (the AWS role) need none", async () => {
    const keys = await new EnvKeySource(config, { TEST_OPENAI_KEY: SECRET_VALUE, TEST_ANTHROPIC_KEY: '' }).keys();
    expect(keys).toEqual({ openai: SECRET_VALUE });
    expect(providersWithoutKey(config, keys)).toEqual(['anthropic']);
  });
});
