import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { sendRaw, type RawRequest } from '../fuzz/raw-http.js';
import { expectOpenAIError } from '../helpers/error-shape.js';
import { tempDir } from '../helpers/tmp.js';

// Requests Node's HTTP parser or the local server set aside, and the fallback's answers under an Anthropic-format
// path (issue 14, fuzz finds): each a 4xx in the documented shape with nosniff, never a bare or missing answer.
let gateway: LocalGateway;
const data = tempDir('gw-malformed');

beforeAll(async () => {
  gateway = await startLocalGateway({
    port: 0,
    host: '127.0.0.1',
    dataDir: data.path,
    configFile: 'gateway.config.json',
    adminKey: 'admin',
  });
});
afterAll(async () => {
  await gateway.stop();
  data.remove();
});

const send = async (request: Partial<RawRequest> & Pick<RawRequest, 'method' | 'target'>) => {
  const { response } = await sendRaw(
    gateway.port,
    { headers: [], body: Buffer.alloc(0), framing: 'none', ...request },
    10_000,
  );
  if (response === undefined) throw new Error('no answer');
  return { ...response, json: JSON.parse(response.body.toString('utf8')) as unknown };
};

describe('requests the HTTP parser refuses', () => {
  it('a broken chunk size → 400 malformed_request in the OpenAI shape, with nosniff', async () => {
    const res = await send({
      method: 'POST',
      target: '/v1/chat/completions',
      headers: [['Content-Type', 'application/json']],
      body: Buffer.from('{}'),
      framing: 'chunked-broken',
    });
    expect(res.status).toBe(400);
    expectOpenAIError(res.json, 'malformed_request');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it("headers past the parser's limit → 431 request_header_too_large", async () => {
    const res = await send({ method: 'GET', target: '/health/live', headers: [['X-Huge', 'h'.repeat(20_000)]] });
    expect(res.status).toBe(431);
    expectOpenAIError(res.json, 'request_header_too_large');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('CONNECT → 400 malformed_request (no tunnel here), not a dropped connection', async () => {
    const res = await send({ method: 'CONNECT', target: '/v1/chat/completions' });
    expect(res.status).toBe(400);
    expectOpenAIError(res.json, 'malformed_request');
  });

  it('a body cut short of its Content-Length is no server error; the gateway serves on', async () => {
    const { response } = await sendRaw(
      gateway.port,
      {
        method: 'POST',
        target: '/v1/chat/completions',
        headers: [['Content-Type', 'application/json']],
        body: Buffer.from('{"model":'),
        framing: 'length-long',
      },
      10_000,
    );
    // The client ended its side, so an answer may not reach it; if one does, it is a 400.
    if (response !== undefined) expect(response.status).toBe(400);
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
  });
});

describe("the fallback under an Anthropic-format path answers in Anthropic's shape", () => {
  it.each([
    ['GET', '/v1/messages', 405, 'method_not_allowed'],
    ['POST', '/v1/messages/batches', 404, 'unknown_route'],
    ['GET', '/v1/messages/batches/x', 404, 'unknown_route'],
  ])('%s %s → %d', async (method, target, status, code) => {
    const res = await send({ method, target });
    expect(res.status).toBe(status);
    expect(res.json).toEqual({
      type: 'error',
      error: {
        type: status === 404 ? 'not_found_error' : 'invalid_request_error',
        message: expect.any(String),
        details: { error_code: code },
      },
      request_id: expect.any(String),
    });
  });

  it('other unknown paths keep the OpenAI shape (/v1/messagesx is not under /v1/messages)', async () => {
    const res = await send({ method: 'GET', target: '/v1/messagesx' });
    expect(res.status).toBe(404);
    expectOpenAIError(res.json, 'unknown_route');
  });
});
