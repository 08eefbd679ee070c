import OpenAI from 'openai';
import { runCli } from '../../cli/run.js';
import { embeddingsBody } from '../fakes/fake-openai-embeddings.js';
import { reply, type RecordedRequest } from '../fakes/fake-openai.js';
import { apiFailure } from '../helpers/api-error.js';
import { ADMIN_KEY, startEmbeddingsGateway, type EmbeddingsGateway } from '../helpers/embeddings-gateway.js';
import { ledgerOf } from '../helpers/ledger.js';
import { captureEmf, type EmfCapture, type EmfDocument } from '../observability/emf-capture.js';

// Embeddings in the books: fallback from a failing target, one ledger booking per request (input tokens at the
// model's price, no output) read back through /v1/usage and `llm-gateway usage` with the cost computed by hand, one
// EMF document with chat's dimensions, a token quota refusal, and the plan's input policies (PII block and redaction,
// deny rules) applied before anything goes upstream.

let gw: EmbeddingsGateway;
let emf: EmfCapture;
beforeAll(async () => {
  gw = await startEmbeddingsGateway();
});
afterAll(() => gw.stop());
beforeEach(() => {
  gw.primary.requests.length = 0;
  gw.backup.requests.length = 0;
  emf = captureEmf();
});
afterEach(() => emf.stop());

const clientOf = (key: string) =>
  new OpenAI({ baseURL: `${gw.gateway.url}/v1`, apiKey: key, maxRetries: 0, timeout: 10_000 });
const counted = (promptTokens: number) => (request: RecordedRequest) =>
  reply.json(embeddingsBody(request.body, { promptTokens }));

async function requestDocuments(count: number): Promise<EmfDocument[]> {
  for (let i = 0; i < 100 && emf.documents.filter((d) => 'Requests' in d).length < count; i++)
    await new Promise((r) => setTimeout(r, 10));
  return emf.documents.filter((d) => 'Requests' in d);
}

it('fallback, ledger, /v1/usage, the CLI and EMF: 250,000 × 0.02 + 100,000 × 0.01 µ$ = 6,000 µ$', async () => {
  const { key } = await gw.keyFor('books-co', 'default');
  const client = clientOf(key);
  gw.primary.enqueue(counted(250_000));
  const first = await client.embeddings.create({ model: 'embed', input: ['a', 'b'] }).withResponse();
  expect(first.data.usage).toEqual({ prompt_tokens: 250_000, total_tokens: 250_000 });

  // The primary fails (one try per target): the backup, an OpenAI-compatible provider, answers.
  gw.primary.enqueue(reply.serverError(500));
  gw.backup.enqueue(counted(100_000));
  const second = await client.embeddings.create({ model: 'embed-fallback', input: 'c' }).withResponse();
  expect(second.response.headers.get('x-gateway-provider')).toBe('backup');
  expect(second.response.headers.get('x-gateway-attempts')).toBe('2');
  expect(gw.backup.requests[0]?.body).toMatchObject({ model: 'bge-small', input: ['c'] });

  const { records } = await ledgerOf(gw.gateway.store.endpoint, 'books-co');
  expect(records.map((r) => [r.alias?.S, r.provider?.S, r.inputTokens?.N, r.outputTokens?.N, r.costMicros?.N])).toEqual(
    [
      ['embed', 'primary', '250000', '0', '5000'],
      ['embed-fallback', 'backup', '100000', '0', '1000'],
    ],
  );

  const usage = await fetch(`${gw.gateway.url}/v1/usage`, { headers: { Authorization: `Bearer ${key}` } });
  const body = (await usage.json()) as { totals: Record<string, number>; by_model: Record<string, unknown>[] };
  expect(body.totals).toMatchObject({ requests: 2, input_tokens: 350_000, output_tokens: 0, cost_micros: 6_000 });
  expect(body.by_model.map((row) => [row.model, row.cost_micros])).toEqual([
    ['embed', 5_000],
    ['embed-fallback', 1_000],
  ]);

  let out = '';
  const code = await runCli(['usage', '--tenant', 'books-co', '--by', 'model', '--url', gw.gateway.url], {
    env: { GATEWAY_ADMIN_KEY: ADMIN_KEY },
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: () => undefined },
  });
  expect(code).toBe(0);
  expect(out).toMatch(/^embed +1 +250,000 +0 +0 +0 +0 +0\.005$/m);
  expect(out).toMatch(/^embed-fallback +1 +100,000 +0 +0 +0 +0 +0\.001$/m);
  expect(out).toMatch(/^TOTAL +2 +350,000 +0 +0 +0 +0 +0\.006$/m);

  const documents = await requestDocuments(2);
  expect(documents).toHaveLength(2);
  expect(documents[1]).toMatchObject({
    Model: 'embed-fallback',
    Provider: 'backup',
    Plan: 'default',
    Requests: 1,
    InputTokens: 100_000,
    OutputTokens: 0,
    CostUSD: 0.001,
    Fallbacks: 1,
    tenant: 'books-co',
  });
  expect(documents[0]?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'Model', 'Provider', 'Plan']]);
});

it('a provider without usage: the input is estimated and the entry marked so', async () => {
  const { key } = await gw.keyFor('estimate-co', 'default');
  gw.primary.enqueue((request) => {
    const { usage: _dropped, ...rest } = embeddingsBody(request.body) as { usage: unknown };
    return reply.json(rest);
  });
  const res = await clientOf(key).embeddings.create({ model: 'embed', input: 'x'.repeat(40) });
  expect(res.usage.prompt_tokens).toBe(10);
  const { records } = await ledgerOf(gw.gateway.store.endpoint, 'estimate-co');
  expect(records.map((r) => [r.inputTokens?.N, r.estimated?.BOOL])).toEqual([['10', true]]);
});

it('a token quota: a request beyond what is left is refused (429 insufficient_quota), nothing upstream', async () => {
  const { key } = await gw.keyFor('tight-co', 'tight');
  const client = clientOf(key);
  // 40 characters: about 10 tokens, within the 50 a day.
  const fits = await client.embeddings.create({ model: 'embed', input: 'y'.repeat(40) }).withResponse();
  expect(fits.response.headers.get('x-gateway-quota-remaining-tokens')).toBe('40');
  expect(gw.primary.requests).toHaveLength(1);
  const err = await apiFailure(client.embeddings.create({ model: 'embed', input: 'z'.repeat(400) }));
  expect([err.status, err.code]).toEqual([429, 'insufficient_quota']);
  expect(gw.primary.requests).toHaveLength(1);
  const { records } = await ledgerOf(gw.gateway.store.endpoint, 'tight-co');
  expect(records.map((r) => r.inputTokens?.N)).toEqual(['10']);
});

it('Idempotency-Key: the same key and body again is replayed, without an upstream call, booked once', async () => {
  const { key } = await gw.keyFor('idem-co', 'default');
  const client = clientOf(key);
  const ask = () =>
    client.embeddings
      .create({ model: 'embed', input: 'once' }, { headers: { 'Idempotency-Key': 'embed-once-1' } })
      .withResponse();
  const first = await ask();
  const again = await ask();
  expect(again.response.headers.get('idempotent-replayed')).toBe('true');
  expect(Array.from(again.data.data[0]?.embedding ?? [])).toEqual(Array.from(first.data.data[0]?.embedding ?? []));
  expect(gw.primary.requests).toHaveLength(1);
  expect((await ledgerOf(gw.gateway.store.endpoint, 'idem-co')).records).toHaveLength(1);
});

describe('input policies', () => {
  it('PII blocked: 400 policy_violation naming the input, the header says which detector, nothing upstream', async () => {
    const { key } = await gw.keyFor('guarded-co', 'guarded');
    const client = clientOf(key);
    const err = await apiFailure(client.embeddings.create({ model: 'embed', input: ['fine', 'mail me: a@b.example'] }));
    expect([err.status, err.code, err.param]).toEqual([400, 'policy_violation', 'input[1]']);
    expect(err.headers?.get('x-gateway-policy')).toBe('pii.block=email');
    const denied = await apiFailure(client.embeddings.create({ model: 'embed', input: 'Project Bluebird' }));
    expect([denied.status, denied.headers?.get('x-gateway-policy')]).toEqual([400, 'deny.block=1']);
    // Token ids cannot be read by the detectors: refused under a plan that checks text.
    const tokens = await apiFailure(client.embeddings.create({ model: 'embed', input: [1, 2, 3] }));
    expect([tokens.status, tokens.headers?.get('x-gateway-policy')]).toEqual([400, 'tokens.block']);
    expect(gw.primary.requests).toHaveLength(0);
  });

  it('PII redacted: the upstream gets the redacted input, the header says what was done', async () => {
    const { key } = await gw.keyFor('redacting-co', 'redacting');
    const { response } = await clientOf(key)
      .embeddings.create({ model: 'embed', input: ['write to jane@example.com', 'nothing here'] })
      .withResponse();
    expect(gw.primary.requests[0]?.body).toMatchObject({ input: ['write to [REDACTED:email]', 'nothing here'] });
    expect(response.headers.get('x-gateway-policy')).toBe('pii.redact=email:1');
  });
});
