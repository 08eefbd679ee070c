import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configPath } from '../../lambdas/config/load.js';
import { coldCandidates, functionEnvironment } from '../../bench/cold-candidates.js';
import { statusText } from '../../bench/cold-probe.js';
import { startColdUpstreams, upstreamConfigText, type ColdUpstreams } from '../../bench/cold-upstreams.js';
import { FAKE_ANTHROPIC_VERSION } from '../fakes/fake-anthropic.js';
import { expectedStatus, probeEvent, UPSTREAM_ROWS } from '../../bench/processes/init-requests.js';

// The cold-start rows of chat through a provider: their request, their configuration, their fake upstreams. Not timed.

const URLS = { 'openai-compatible': 'http://127.0.0.1:1/v1', anthropic: 'http://127.0.0.1:2' } as const;

describe('the provider rows of the cold start', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cold-rows-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("send chat's request to the row's alias, with the authorizer's context, and expect a 200", () => {
    const chat = probeEvent('chat', 1);
    for (const [row, { alias }] of Object.entries(UPSTREAM_ROWS)) {
      const event = probeEvent(row, 1);
      expect(JSON.parse(event?.body ?? '')).toEqual({ model: alias, messages: [{ role: 'user', content: 'Hello' }] });
      expect(event?.path).toBe('/v1/chat/completions');
      expect(event?.requestContext.authorizer).toEqual(chat?.requestContext.authorizer);
      expect(expectedStatus(row)).toBe(200);
    }
    expect(JSON.parse(probeEvent('chat', 1)?.body ?? '')).toMatchObject({ model: 'demo' });
    expect(expectedStatus('fallback')).toBeUndefined();
  });

  it("give the bundle a parsed configuration with each row's provider at its fake upstream and its alias to it", () => {
    const parsed = JSON.parse(upstreamConfigText(configPath(), URLS, dir)) as {
      providers: Record<string, { type: string; baseURL?: string }>;
      models: Record<string, { targets: { provider: string }[] }>;
    };
    expect(parsed.providers['bench-openai']).toMatchObject({
      type: 'openai-compatible',
      baseURL: URLS['openai-compatible'],
    });
    expect(parsed.providers['bench-anthropic']).toMatchObject({ type: 'anthropic', baseURL: URLS.anthropic });
    expect(parsed.models['bench-openai']?.targets.map((t) => t.provider)).toEqual(['bench-openai']);
    expect(parsed.models['bench-anthropic']?.targets.map((t) => t.provider)).toEqual(['bench-anthropic']);
    // The repository's configuration is all there: the echo row's alias still answers.
    expect(parsed.models.demo).toBeDefined();
  });

  describe('against their fake upstreams', () => {
    let upstreams: ColdUpstreams;
    beforeAll(async () => {
      upstreams = await startColdUpstreams();
    });
    afterAll(() => upstreams.close());

    it('run the chat function as chat, each under its own request name, with its keys in the secret', () => {
      const rows = coldCandidates(upstreams).filter((c) => c.name in UPSTREAM_ROWS);
      expect(rows.map((c) => c.name)).toEqual(['chat (openai)', 'chat (anthropic)']);
      for (const row of rows) {
        const env = functionEnvironment(row, dir);
        expect(env).toMatchObject({ AWS_LAMBDA_FUNCTION_NAME: 'chat', BENCH_PROBE_REQUEST: row.name });
        expect(env.PROVIDER_SECRET_ARN).toBeDefined();
      }
      expect(Object.keys(upstreams.providerKeys).sort()).toEqual(['bench-anthropic', 'bench-openai']);
    });

    it('answer the documented wire formats to the key in the secret, and refuse another', async () => {
      const body = { messages: [{ role: 'user', content: 'Hello' }], max_tokens: 16 };
      const openai = await fetch(`${upstreams.urls['openai-compatible']}/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${upstreams.providerKeys['bench-openai']}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ ...body, model: 'bench-openai-model' }),
      });
      expect(openai.status).toBe(200);
      expect(await openai.json()).toMatchObject({
        object: 'chat.completion',
        choices: [{ message: { role: 'assistant' } }],
      });
      const anthropic = (key: string | undefined) =>
        fetch(`${upstreams.urls.anthropic}/v1/messages`, {
          method: 'POST',
          headers: {
            'x-api-key': key ?? '',
            'anthropic-version': FAKE_ANTHROPIC_VERSION,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ ...body, model: 'bench-anthropic-model' }),
        });
      const answered = await anthropic(upstreams.providerKeys['bench-anthropic']);
      expect(answered.status).toBe(200);
      expect(await answered.json()).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'text' }] });
      expect((await anthropic('wrong')).status).toBe(401);
    });
  });
});

describe('the status column', () => {
  it('names the one status every request got, else each with its count', () => {
    expect(statusText(new Map([['200', 6]]))).toBe('200');
    expect(
      statusText(
        new Map([
          ['200', 5],
          ['502', 1],
        ]),
      ),
    ).toBe('200 ×5/502 ×1');
    expect(statusText(undefined)).toBeUndefined();
  });
});
