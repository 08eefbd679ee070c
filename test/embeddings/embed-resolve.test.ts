import type { Principal } from '../../lambdas/auth/principal.js';
import { parseConfig } from '../../lambdas/config/load.js';
import { resolveEmbeddingTargets } from '../../lambdas/embeddings/embed-resolve.js';

const principal: Principal = { tenant: 't', keyId: 'k', plan: 'default', scopes: ['chat'], models: null };

describe('resolveEmbeddingTargets', () => {
  test("a Bedrock target's own region reaches the target (the provider's region applies without it)", () => {
    const config = parseConfig(
      JSON.stringify({
        providers: { aws: { type: 'bedrock', region: 'us-east-1' }, echo: { type: 'echo' } },
        models: {
          vectors: {
            kind: 'embedding',
            targets: [
              { provider: 'aws', model: 'amazon.titan-embed-text-v2:0', dimensions: 1024, region: 'eu-west-1' },
              { provider: 'aws', model: 'cohere.embed-english-v3', dimensions: 1024 },
              { provider: 'echo', model: 'echo-embed-1', dimensions: 1024 },
            ],
          },
        },
      }),
      'test.json',
    );
    const { targets } = resolveEmbeddingTargets(config, principal, 'vectors');
    expect(targets.map((t) => [t.providerName, t.model, t.region])).toEqual([
      ['aws', 'amazon.titan-embed-text-v2:0', 'eu-west-1'],
      ['aws', 'cohere.embed-english-v3', undefined],
      ['echo', 'echo-embed-1', undefined],
    ]);
    expect(Object.hasOwn(targets[1]!, 'region')).toBe(false);
  });
});
