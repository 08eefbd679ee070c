import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsedConfigText } from '../lib/parsed-config.js';
import { startFakeAnthropic } from '../test/fakes/fake-anthropic.js';
import { startFakeOpenAI } from '../test/fakes/fake-openai.js';
import { UPSTREAM_ROWS } from './processes/init-requests.js';

/** The provider type of a cold-start row that goes upstream, and where its fake answers. */
type UpstreamType = (typeof UPSTREAM_ROWS)[keyof typeof UPSTREAM_ROWS]['type'];

export interface ColdUpstreams {
  /** The provider secret's value (Secrets Manager's, as the chat function reads it in Lambda): key by provider name. */
  readonly providerKeys: Readonly<Record<string, string>>;
  /** Base URL by provider type (with /v1 for OpenAI's). */
  readonly urls: Readonly<Record<UpstreamType, string>>;
  close(): Promise<void>;
}

const KEYS: Readonly<Record<UpstreamType, string>> = {
  'openai-compatible': 'sk-bench-cold-openai',
  anthropic: 'sk-ant-bench-cold',
};

/**
 * The fake upstreams of the provider rows, in this process on port 0 (the probes run one at a time): OpenAI's chat
 * completion JSON (the benchmark's constant reply) and Anthropic's Messages JSON (the echo of the user's text).
 */
export async function startColdUpstreams(): Promise<ColdUpstreams> {
  const openai = await startFakeOpenAI({ apiKey: KEYS['openai-compatible'], defaultReply: 'fixed', record: false });
  const anthropic = await startFakeAnthropic({ apiKey: KEYS.anthropic });
  const urls: Record<UpstreamType, string> = { 'openai-compatible': openai.url, anthropic: anthropic.url };
  return {
    providerKeys: Object.fromEntries(Object.values(UPSTREAM_ROWS).map(({ alias, type }) => [alias, KEYS[type]])),
    urls,
    close: async () => {
      await openai.close();
      await anthropic.close();
    },
  };
}

/**
 * The configuration `configFile` plus, per provider row, a provider and an alias of the same name whose one target is
 * it, at the fake upstream; written into `dir` and returned in its parsed form (what the bundle reads), validated by
 * the schema as the stack's is.
 */
export function upstreamConfigText(
  configFile: string,
  urls: Readonly<Record<UpstreamType, string>>,
  dir: string,
): string {
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as {
    providers: Record<string, unknown>;
    models: Record<string, unknown>;
  };
  for (const { alias, type } of Object.values(UPSTREAM_ROWS)) {
    config.providers[alias] = { type, baseURL: urls[type] };
    config.models[alias] = { targets: [{ provider: alias, model: `${alias}-model` }] };
  }
  const file = join(dir, 'gateway.config.upstreams.json');
  writeFileSync(file, JSON.stringify(config));
  return parsedConfigText(file);
}
