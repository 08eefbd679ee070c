import { ConfigError, loadConfigFile, parseConfig } from '../../lambdas/config/load.js';

// Model kinds in the configuration: chat by default; an embedding alias needs providers that serve embeddings and
// `dimensions` on every target, all the same (a fallback must produce vectors of the same length); prices of
// embedding models need no output price, those of chat models do.

function problemsOf(config: object): readonly string[] {
  try {
    parseConfig(JSON.stringify(config), 'gw.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const providers = {
  oa: { type: 'openai', apiKeyEnv: 'OA_KEY' },
  local: { type: 'openai-compatible', baseURL: 'http://127.0.0.1:8000/v1' },
  an: { type: 'anthropic' },
  echo: { type: 'echo' },
};
const embedding = (...targets: object[]) => ({ providers, models: { vectors: { kind: 'embedding', targets } } });

describe('model kinds', () => {
  it('the shipped configuration: embed-small on OpenAI with an input-only price, demo-embed on echo', () => {
    const config = loadConfigFile('gateway.config.json');
    expect(config.models['embed-small']).toMatchObject({
      kind: 'embedding',
      targets: [{ provider: 'openai', model: 'text-embedding-3-small', dimensions: 1536 }],
    });
    expect(config.prices.openai?.['text-embedding-3-small']).toEqual({ input: 0.02 });
    expect(config.models['demo-embed']?.targets[0]).toMatchObject({ provider: 'echo', dimensions: 256 });
    expect(config.models.demo?.kind).toBe('chat');
  });

  it('an embedding alias with fallback targets of the same dimensions on OpenAI, OpenAI-compatible and echo', () => {
    const config = parseConfig(
      JSON.stringify({
        ...embedding(
          { provider: 'oa', model: 'text-embedding-3-small', dimensions: 1536 },
          { provider: 'local', model: 'bge', dimensions: 1536 },
          { provider: 'echo', model: 'e', dimensions: 1536 },
        ),
        prices: { oa: { 'text-embedding-3-small': { input: 0.02 } } },
      }),
      'x',
    );
    expect(config.models.vectors?.targets.map((t) => t.dimensions)).toEqual([1536, 1536, 1536]);
  });

  it('fallback targets of other dimensions: a config error naming the alias', () => {
    expect(
      problemsOf(
        embedding({ provider: 'oa', model: 'a', dimensions: 1536 }, { provider: 'local', model: 'b', dimensions: 768 }),
      ),
    ).toEqual([
      '$.models.vectors.targets[1].dimensions: the embedding alias "vectors" mixes dimensions (1536 and 768): a fallback target must produce vectors of the same length',
    ]);
  });

  it('an embedding target without dimensions, with params, or on a provider without embeddings', () => {
    expect(problemsOf(embedding({ provider: 'oa', model: 'a' }))).toEqual([
      '$.models.vectors.targets[0].dimensions: required for the embedding alias "vectors": the length of this target\'s vectors',
    ]);
    expect(problemsOf(embedding({ provider: 'oa', model: 'a', dimensions: 8, params: { user: 'x' } }))).toEqual([
      '$.models.vectors.targets[0].params: embedding targets take no params',
    ]);
    expect(problemsOf(embedding({ provider: 'an', model: 'a', dimensions: 8 }))).toEqual([
      '$.models.vectors.targets[0].provider: provider "an" (anthropic) serves no embeddings; the embedding alias "vectors" needs one of type openai, openai-compatible, azure-openai, bedrock, echo',
    ]);
  });

  it('a chat alias: no dimensions, and its models need an output price', () => {
    expect(
      problemsOf({ providers, models: { talk: { targets: [{ provider: 'oa', model: 'gpt', dimensions: 8 }] } } }),
    ).toEqual(['$.models.talk.targets[0].dimensions: only embedding aliases have dimensions']);
    expect(
      problemsOf({
        providers,
        models: { talk: { targets: [{ provider: 'oa', model: 'gpt' }] } },
        prices: { oa: { gpt: { input: 1 } } },
      }),
    ).toEqual(['$.prices.oa.gpt.output: required: the chat alias "talk" uses this model']);
  });

  it('an unknown kind is refused', () => {
    expect(
      problemsOf({ providers, models: { x: { kind: 'rerank', targets: [{ provider: 'oa', model: 'a' }] } } }),
    ).toHaveLength(1);
  });
});
