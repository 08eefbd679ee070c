import { writeFileSync } from 'node:fs';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import type { Item } from '../../lambdas/store/attributes.js';
import { startHeldOpenAI, type HeldOpenAI, type HeldRequest } from '../fakes/held-openai.js';
import { ledgerOf } from '../helpers/ledger.js';
import { tempDir } from '../helpers/tmp.js';

// A client that leaves stops its upstream call at once — waiting for a JSON answer, waiting for a stream's first
// byte, or between two pieces of a stream — and its request is still booked, once: the upstream was called, so the
// call's input is owed. The upstream here holds every answer until its client leaves, so the abort is awaited as an
// event: without it the call would stay open for as long as the upstream holds it.

// Nothing but the client may end a call here: the provider's own timeout and the alias's deadlines are far away.
const KEY_ENV = 'TEST_HELD_UPSTREAM_KEY';
const fixture = {} as { fake: HeldOpenAI; gateway: LocalGateway };
const dir = tempDir('gw-client-gone');
beforeAll(async () => {
  fixture.fake = await startHeldOpenAI();
  process.env[KEY_ENV] = fixture.fake.apiKey;
  const configFile = join(dir.path, 'gateway.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: { upstream: { type: 'openai', baseURL: fixture.fake.url, apiKeyEnv: KEY_ENV, timeoutMs: 600_000 } },
      models: {
        target: {
          targets: [{ provider: 'upstream', model: 'held-model' }],
          retry: { attempts: 1 },
          timeouts: { requestMs: 600_000, connectMs: 120_000, firstByteMs: 600_000, idleMs: 600_000 },
        },
      },
      plans: { default: { rateLimit: 1000, burstLimit: 1000 } },
      auth: { cacheTtlSeconds: 0 },
    }),
  );
  fixture.gateway = await startLocalGateway({
    port: 0,
    host: '127.0.0.1',
    dataDir: dir.path,
    configFile,
    adminKey: 'admin',
  });
});
afterAll(async () => {
  await fixture.fake.close();
  await fixture.gateway.stop(0);
  delete process.env[KEY_ENV];
  dir.remove();
});
beforeEach(() => {
  fixture.fake.requests.length = 0;
});

/** The upstream's connection closing, or a clear failure if it stays open (the abort never came). */
async function upstreamAborted(held: HeldRequest): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('the upstream call was not aborted after the client left')), 20_000);
  });
  try {
    await Promise.race([held.closed, stuck]);
  } finally {
    clearTimeout(timer);
  }
}

async function recordsAfter(before: number): Promise<Item[]> {
  for (let polls = 0; polls < 100; polls++) {
    const { records } = await ledgerOf(fixture.gateway.store.endpoint);
    if (records.length > before) return records.slice(before);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return [];
}

function send(body: object): { sent: ClientRequest; response: Promise<IncomingMessage> } {
  const sent = request(`${fixture.gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fixture.gateway.devKey.key}`, 'content-type': 'application/json' },
  });
  sent.on('error', () => undefined);
  const response = new Promise<IncomingMessage>((resolve) => sent.once('response', resolve));
  sent.end(JSON.stringify({ model: 'target', messages: [{ role: 'user', content: 'Tell me something' }], ...body }));
  return { sent, response };
}

const countRecords = async (): Promise<number> => (await ledgerOf(fixture.gateway.store.endpoint)).records.length;

it('a JSON request whose client leaves has its upstream call aborted at once, and is booked once (499)', async () => {
  const before = await countRecords();
  fixture.fake.hold('answer');
  const { sent } = send({});
  const held = await fixture.fake.arrived(0);
  sent.destroy();
  await upstreamAborted(held);

  const records = await recordsAfter(before);
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({ stream: { BOOL: false }, status: { N: '499' }, estimated: { BOOL: true } });
  expect(Number(records[0]?.inputTokens?.N)).toBeGreaterThan(0);
  expect(await countRecords()).toBe(before + 1);
});

it('a stream whose client leaves before its first byte has its upstream call aborted at once, and is booked once', async () => {
  const before = await countRecords();
  fixture.fake.hold('answer');
  const { sent } = send({ stream: true });
  const held = await fixture.fake.arrived(0);
  sent.destroy();
  await upstreamAborted(held);

  const records = await recordsAfter(before);
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({ stream: { BOOL: true }, status: { N: '499' } });
  expect(Number(records[0]?.inputTokens?.N)).toBeGreaterThan(0);
  expect(await countRecords()).toBe(before + 1);
});

it('a stream whose client leaves mid-answer has its upstream call aborted at once, not at the next piece, and is booked once', async () => {
  const before = await countRecords();
  fixture.fake.hold('first-content');
  const { sent, response } = send({ stream: true });
  const held = await fixture.fake.arrived(0);
  // The client reads the answer's first content, then leaves while the upstream is silent.
  const answer = await response;
  expect(answer.statusCode).toBe(200);
  let text = '';
  for await (const piece of answer) {
    text += String(piece);
    if (text.includes('held')) break;
  }
  sent.destroy();
  await upstreamAborted(held);

  const records = await recordsAfter(before);
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({ stream: { BOOL: true } });
  expect(await countRecords()).toBe(before + 1);
});
