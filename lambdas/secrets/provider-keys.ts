import { GetSecretValueCommand, SecretsManagerClient } from '../aws-http/secrets-manager.js';
import type { GatewayConfig } from '../config/schema.js';

/** Provider API keys by provider name (the keys of `providers` in the configuration). */
export type ProviderKeys = Readonly<Record<string, string>>;

interface ProviderKeySource {
  /** Where the keys come from, for messages (never a key). */
  readonly description: string;
  keys(): Promise<ProviderKeys>;
}

/** Messages of this error never contain the secret's value. */
export class ProviderKeysError extends Error {
  override readonly name = 'ProviderKeysError';
}

function parseKeys(text: string | undefined): ProviderKeys {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    throw new ProviderKeysError('the provider key secret is not a JSON object');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProviderKeysError('the provider key secret is not a JSON object');
  }
  const keys: Record<string, string> = {};
  for (const [provider, key] of Object.entries(value)) {
    if (typeof key !== 'string') throw new ProviderKeysError(`the provider key secret's "${provider}" is not a string`);
    keys[provider] = key;
  }
  return keys;
}

/**
 * In AWS: one Secrets Manager secret holding a JSON object { "<provider>": "<key>" }, read once per Lambda instance
 * and re-read after `ttlMs` (so a rotated key is picked up without a deploy). A failed refresh keeps serving the
 * last good value until it is `ttlMs` stale twice over.
 */
export class SecretsManagerKeySource implements ProviderKeySource {
  readonly description: string;
  private cached: { keys: ProviderKeys; at: number } | undefined;
  private inflight: Promise<ProviderKeys> | undefined;

  constructor(
    private readonly secretId: string,
    private readonly client: SecretsManagerClient = new SecretsManagerClient({ maxAttempts: 2 }),
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {
    this.description = 'Secrets Manager';
  }

  async keys(): Promise<ProviderKeys> {
    const cached = this.cached;
    if (cached !== undefined && this.now() - cached.at < this.ttlMs) return cached.keys;
    this.inflight ??= this.fetch().finally(() => {
      this.inflight = undefined;
    });
    try {
      return await this.inflight;
    } catch (err) {
      if (cached !== undefined && this.now() - cached.at < 2 * this.ttlMs) return cached.keys;
      throw err;
    }
  }

  private async fetch(): Promise<ProviderKeys> {
    let text: string | undefined;
    try {
      const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }), {
        abortSignal: AbortSignal.timeout(3000),
      });
      text = out.SecretString;
    } catch (err) {
      const name = err instanceof Error ? err.name : 'Error';
      throw new ProviderKeysError(`the provider key secret cannot be read (${name})`);
    }
    const keys = parseKeys(text);
    this.cached = { keys, at: this.now() };
    return keys;
  }
}

/** Locally: each provider's key from the environment variable it names (`apiKeyEnv`). */
export class EnvKeySource implements ProviderKeySource {
  readonly description = 'environment variables';
  constructor(
    readonly config: GatewayConfig,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async keys(): Promise<ProviderKeys> {
    const keys: Record<string, string> = {};
    for (const [name, provider] of Object.entries(this.config.providers)) {
      const variable = 'apiKeyEnv' in provider ? provider.apiKeyEnv : undefined;
      const value = variable === undefined ? undefined : this.env[variable];
      if (value) keys[name] = value;
    }
    return keys;
  }
}

let source: ProviderKeySource | undefined;

/**
 * Secrets Manager when the stack set PROVIDER_SECRET_ARN, else the environment (the variables the configuration in
 * use names: a reloaded configuration brings its own).
 */
export function providerKeySource(config: GatewayConfig): ProviderKeySource {
  const arn = process.env.PROVIDER_SECRET_ARN;
  if (source instanceof EnvKeySource && source.config !== config) source = undefined;
  source ??= arn ? new SecretsManagerKeySource(arn) : new EnvKeySource(config);
  return source;
}

/** Provider types without a key: echo, and Bedrock (the AWS credential chain signs its calls). */
const KEYLESS: ReadonlySet<string> = new Set(['echo', 'bedrock']);

/** Providers of the configuration that need a key and have none. */
export function providersWithoutKey(config: GatewayConfig, keys: ProviderKeys): string[] {
  return Object.entries(config.providers)
    .filter(([name, provider]) => !KEYLESS.has(provider.type) && !Object.hasOwn(keys, name))
    .map(([name]) => name);
}
