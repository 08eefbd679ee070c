import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../lambdas/config/load.js';
import { bedrockAccess } from '../../lib/bedrock-access.js';
import { REPO_ROOT } from '../../lib/paths.js';

// examples/bedrock.config.json, the README's Bedrock configuration: valid, priced, and the IAM it deploys with.

const FILE = join(REPO_ROOT, 'examples', 'bedrock.config.json');
const config = parseConfig(readFileSync(FILE, 'utf8'), FILE);

describe('examples/bedrock.config.json', () => {
  test('every Bedrock target has a price (chat models with output, cache reads and writes)', () => {
    const bedrockTargets = Object.values(config.models).flatMap((model) =>
      model.targets
        .filter((t) => config.providers[t.provider]?.type === 'bedrock')
        .map((t) => ({ ...t, kind: model.kind })),
    );
    expect(bedrockTargets.length).toBeGreaterThanOrEqual(4);
    for (const target of bedrockTargets) {
      const price = config.prices.bedrock?.[target.model];
      expect({ model: target.model, priced: price !== undefined }).toEqual({ model: target.model, priced: true });
      if (target.kind === 'chat') {
        expect(price).toEqual(expect.objectContaining({ output: expect.any(Number), cachedInput: expect.any(Number) }));
        expect(price).toEqual(expect.objectContaining({ cacheWrite: expect.any(Number) }));
      }
    }
  });

  test('deploys with invoke rights on exactly its models and profiles', () => {
    const statements = bedrockAccess(config, { partition: 'aws', account: '111122223333' });
    expect(statements.map((s) => [s.sid, s.resources])).toEqual([
      [
        'BedrockInvoke',
        [
          'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0',
          'arn:aws:bedrock:us-east-1::foundation-model/cohere.embed-english-v3',
          'arn:aws:bedrock:us-east-1:111122223333:inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0',
          'arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        ],
      ],
      [
        'BedrockInvokeThroughProfiles',
        [
          'arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0',
          'arn:aws:bedrock:::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0',
          'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0',
        ],
      ],
    ]);
  });
});
