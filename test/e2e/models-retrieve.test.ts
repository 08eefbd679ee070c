import OpenAI, { NotFoundError } from 'openai';
import type { LocalGateway } from '../../local/gateway.js';
import { startKeyTestGateway } from '../helpers/key-config.js';
import { tempDir } from '../helpers/tmp.js';

// openai SDK models.retrieve (GET /v1/models/{id}) with its default settings: the alias as a Model if the key may use
// it; otherwise the same 404 as an alias that does not exist, so the answer never reveals aliases outside the key's list.
const ADMIN_KEY = 'test-admin-key-0123456789';
const dir = tempDir('gw-models-retrieve');
let gateway: LocalGateway;

beforeAll(async () => {
  gateway = await startKeyTestGateway(dir.path, ADMIN_KEY);
});
afterAll(async () => {
  await gateway.stop();
  dir.remove();
});

const clientFor = async (models?: string[]): Promise<OpenAI> => {
  const res = await fetch(`${gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenant: 'acme', ...(models === undefined ? {} : { models }) }),
  });
  expect(res.status).toBe(201);
  const { key } = (await res.json()) as { key: string };
  return new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key });
};

const notFound = async (client: OpenAI, id: string) => {
  const failure = await client.models.retrieve(id).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(NotFoundError);
  const error = failure as NotFoundError;
  return { status: error.status, error: error.error, code: error.code, param: error.param };
};

it('an alias the key may use comes back as a Model, the same as in the list', async () => {
  const client = await clientFor(['demo']);
  const model = await client.models.retrieve('demo');
  expect(model).toEqual({
    id: 'demo',
    object: 'model',
    created: 0,
    owned_by: 'llm-gateway',
    kind: 'chat',
    available: true,
  });
  const listed = [];
  for await (const m of client.models.list()) listed.push(m);
  expect(listed).toEqual([model]);
});

it('a key for every alias retrieves each of them', async () => {
  const client = await clientFor();
  expect((await client.models.retrieve('other')).id).toBe('other');
  expect((await client.models.retrieve('demo')).id).toBe('demo');
});

it("an alias outside the key's list answers exactly as one that does not exist: 404 model_not_found", async () => {
  const client = await clientFor(['demo']);
  const hidden = await notFound(client, 'other');
  const missing = await notFound(client, 'no-such-alias');
  expect(hidden).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
  expect({ ...hidden, error: undefined }).toEqual({ ...missing, error: undefined });
  expect((hidden.error as { message: string }).message.replace('other', 'X')).toBe(
    (missing.error as { message: string }).message.replace('no-such-alias', 'X'),
  );
});
