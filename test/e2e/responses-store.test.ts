import OpenAI from 'openai';
import { reply as anthropicReply, startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.js';
import { messageItem, responseBody, responsesReply } from '../fakes/fake-openai-responses.js';
import { startChatGateway, type ChatGateway } from '../helpers/chat-gateway.js';
import { ledgerOf, storageNoteOf } from '../helpers/ledger.js';

// Stored responses (store: true, the default): previous_response_id across an OpenAI- and an Anthropic-backed alias,
// GET / DELETE / input_items, item_reference, tenant isolation, store: false, the size cap, the storage on the books.

let openai: FakeOpenAI;
let anthropic: FakeAnthropic;
let chat: ChatGateway;
let other: OpenAI;

beforeAll(async () => {
  openai = await startFakeOpenAI({ apiKey: 'sk-upstream-openai-key' });
  anthropic = await startFakeAnthropic({ apiKey: 'sk-ant-upstream' });
  process.env.TEST_STORE_ANTHROPIC_KEY = anthropic.apiKey;
  chat = await startChatGateway({ type: 'openai', baseURL: openai.url, apiKey: openai.apiKey }, undefined, {
    providers: {
      upstream: { type: 'openai', baseURL: openai.url, apiKeyEnv: 'TEST_OPENAI_UPSTREAM_KEY', timeoutMs: 5000 },
      claude: { type: 'anthropic', baseURL: anthropic.url, apiKeyEnv: 'TEST_STORE_ANTHROPIC_KEY', timeoutMs: 5000 },
    },
    models: {
      gpt: { targets: [{ provider: 'upstream', model: 'gpt-upstream' }], retry: { attempts: 1 } },
      claude: { targets: [{ provider: 'claude', model: 'claude-upstream' }], retry: { attempts: 1 } },
    },
  });
  const res = await fetch(`${chat.gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { Authorization: 'Bearer admin', 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenant: 'globex', scopes: ['chat'] }),
  });
  expect(res.status).toBe(201);
  const { key } = (await res.json()) as { key: string };
  other = new OpenAI({ baseURL: `${chat.gateway.url}/v1`, apiKey: key, maxRetries: 0, timeout: 10_000 });
});

afterAll(async () => {
  await chat.stop();
  await openai.close();
  await anthropic.close();
  delete process.env.TEST_STORE_ANTHROPIC_KEY;
});

beforeEach(() => {
  openai.requests.length = 0;
  anthropic.requests.length = 0;
});

const status = async (promise: Promise<unknown>): Promise<[number, string | null | undefined]> => {
  try {
    await promise;
    return [200, undefined];
  } catch (err) {
    if (!(err instanceof OpenAI.APIError)) throw err;
    return [err.status ?? 0, err.code];
  }
};

it('previous_response_id continues a stored conversation on another target (OpenAI-backed, then Anthropic-backed)', async () => {
  openai.enqueue(responsesReply.text('Paris is the capital.'));
  const first = await chat.client.responses.create({
    model: 'gpt',
    instructions: 'Be brief.',
    input: 'Capital of France?',
  });
  anthropic.enqueue(anthropicReply.text('About 2.1 million people.'));
  const second = await chat.client.responses.create({
    model: 'claude',
    input: 'Its population?',
    previous_response_id: first.id,
  });
  expect(second.output_text).toBe('About 2.1 million people.');
  expect(second.previous_response_id).toBe(first.id);
  // The previous response's instructions are not carried over (as in OpenAI's API); its input and output are.
  const body = anthropic.requests[0]?.body as { system?: unknown; messages: { role: string; content: unknown }[] };
  expect(body.system).toBeUndefined();
  expect(body.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
  expect(JSON.stringify(body.messages)).toContain('Paris is the capital.');
});

it('GET, input_items and DELETE a stored response; after DELETE it is gone', async () => {
  openai.enqueue(responsesReply.text('Stored answer'));
  const created = await chat.client.responses.create({ model: 'gpt', input: 'Keep this' });
  const fetched = await chat.client.responses.retrieve(created.id);
  expect(fetched).toMatchObject({ id: created.id, status: 'completed', output: created.output });
  const items = await chat.client.responses.inputItems.list(created.id);
  expect(items.data).toEqual([
    expect.objectContaining({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Keep this' }] }),
  ]);
  expect(items.data[0]?.id).toMatch(/^msg_req_/);
  await chat.client.responses.delete(created.id);
  expect(await status(chat.client.responses.retrieve(created.id))).toEqual([404, 'response_not_found']);
  expect(await status(chat.client.responses.delete(created.id))).toEqual([404, 'response_not_found']);
});

it("another tenant's response id is a 404 everywhere: GET, input_items, DELETE, previous_response_id", async () => {
  openai.enqueue(responsesReply.text('Mine'));
  const mine = await chat.client.responses.create({ model: 'gpt', input: 'Secret' });
  expect(await status(other.responses.retrieve(mine.id))).toEqual([404, 'response_not_found']);
  expect(await status(other.responses.inputItems.list(mine.id))).toEqual([404, 'response_not_found']);
  expect(await status(other.responses.delete(mine.id))).toEqual([404, 'response_not_found']);
  expect(await status(other.responses.create({ model: 'gpt', input: 'More', previous_response_id: mine.id }))).toEqual([
    404,
    'previous_response_not_found',
  ]);
  expect(openai.requests).toHaveLength(1);
  expect((await chat.client.responses.retrieve(mine.id)).id).toBe(mine.id);
});

it('store: false stores nothing', async () => {
  openai.enqueue(responsesReply.text('Forgotten'));
  const response = await chat.client.responses.create({ model: 'gpt', input: 'Do not keep', store: false });
  expect(response).toMatchObject({ store: false });
  expect(await status(chat.client.responses.retrieve(response.id))).toEqual([404, 'response_not_found']);
});

it('a streamed response is stored at its end; an item_reference to its message resolves', async () => {
  openai.enqueue(responsesReply.stream(responseBody([messageItem('Streamed and kept')])));
  const stream = await chat.client.responses.create({ model: 'gpt', input: 'Stream it', stream: true });
  let id = '';
  let messageId = '';
  for await (const event of stream) {
    if (event.type === 'response.completed') {
      id = event.response.id;
      messageId = event.response.output[0]?.id ?? '';
    }
  }
  expect((await chat.client.responses.retrieve(id)).status).toBe('completed');
  openai.enqueue(responsesReply.text('Referenced'));
  await chat.client.responses.create({
    model: 'gpt',
    input: [
      { role: 'user', content: 'Stream it' },
      { type: 'item_reference', id: messageId },
      { role: 'user', content: 'Again' },
    ],
  });
  const sent = openai.requests[1]?.body as { input: unknown[] };
  expect(sent.input[1]).toEqual({
    type: 'message',
    role: 'assistant',
    content: [{ type: 'output_text', text: 'Streamed and kept', annotations: [] }],
  });
  expect(
    await status(
      chat.client.responses.create({ model: 'gpt', input: [{ type: 'item_reference', id: 'msg_req_nothing_0' }] }),
    ),
  ).toEqual([404, 'item_not_found']);
});

it('a conversation over the stored cap is a 400 with store, and goes through with store: false', async () => {
  const big = 'x'.repeat(300 * 1024);
  expect(await status(chat.client.responses.create({ model: 'gpt', input: big }))).toEqual([
    400,
    'stored_response_too_large',
  ]);
  expect(openai.requests).toHaveLength(0);
  openai.enqueue(responsesReply.text('Fine'));
  expect((await chat.client.responses.create({ model: 'gpt', input: big, store: false })).output_text).toBe('Fine');
});

it("store: true notes the stored item on the request's books (bytes, write units, the day's counter); store: false none", async () => {
  const stored = async (): Promise<number[]> => {
    const { counters } = await ledgerOf(chat.gateway.store.endpoint);
    const sum = (pick: (row: (typeof counters)[number]) => number) => counters.reduce((n, row) => n + pick(row), 0);
    return [sum((r) => r.storedResponses), sum((r) => r.storedBytes), sum((r) => r.storedWriteUnits)];
  };
  const before = await stored();
  openai.enqueue(responsesReply.text('Kept, and paid for.'));
  const { data, response } = await chat.client.responses
    .create({ model: 'gpt', input: 'Keep this one' })
    .withResponse();
  const ledgerId = response.headers.get('x-gateway-ledger-id') ?? '';
  expect(data.id).toBe(`resp_${ledgerId}`);
  const note = await storageNoteOf(chat.gateway.store.endpoint, ledgerId);
  const bytes = Number(note?.storedBytes?.N);
  // The gzipped record and its key attributes: a few hundred bytes, one write unit per KB begun.
  expect(bytes).toBeGreaterThan(100);
  expect(Number(note?.storedWriteUnits?.N)).toBe(Math.ceil(bytes / 1024));
  const after = await stored();
  expect(after).toEqual([(before[0] ?? 0) + 1, (before[1] ?? 0) + bytes, (before[2] ?? 0) + Math.ceil(bytes / 1024)]);

  openai.enqueue(responsesReply.text('Not kept.'));
  const unstored = await chat.client.responses
    .create({ model: 'gpt', input: 'Do not keep this one', store: false })
    .withResponse();
  const unstoredId = unstored.response.headers.get('x-gateway-ledger-id') ?? '';
  expect(unstoredId).toMatch(/^req_/);
  expect(await storageNoteOf(chat.gateway.store.endpoint, unstoredId)).toBeUndefined();
  expect(await stored()).toEqual(after);
});
