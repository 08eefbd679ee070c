import type { Readable } from 'node:stream';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { chatRequestSchema } from '../../lambdas/api/chat-schemas.js';
import { LEDGER_ID_HEADER, serveChat } from '../../lambdas/chat/service.js';
import { requestLog } from '../../lambdas/core/request-log.js';
import { BOOKING_MARGIN_MS, requestDeadlineMs } from '../../lambdas/runtime/deadline.js';
import type { GatewayRequest } from '../../lambdas/runtime/types.js';
import { lambdaContext } from '../../local/lambda-context.js';
import { reply, startFakeOpenAI, textChunks } from '../fakes/fake-openai.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import { ledgerOf } from '../helpers/ledger.js';

// In Lambda the request's deadline must end before the invocation does: it is cut to the invocation's remaining
// time less BOOKING_MARGIN_MS, so a request that would outlive its function gets its 504 and its ledger record
// instead of being killed with neither. The chat service is called here as the chat function calls it, with a Lambda
// context whose invocation has little time left (the alias's own requestMs is 8 s).
const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-clamp' }), undefined, {
  models: {
    target: {
      targets: [{ provider: 'upstream', model: 'openai-upstream-model' }],
      retry: { attempts: 1 },
      timeouts: { requestMs: 8000, connectMs: 4000, firstByteMs: 6000, idleMs: 6000 },
    },
  },
});

describe('requestDeadlineMs', () => {
  it('is requestMs when the invocation has time enough, else its remaining time less the margin, never below 0', () => {
    const left = (ms: number) => ({ getRemainingTimeInMillis: () => ms });
    expect(requestDeadlineMs(8000, left(300_000))).toBe(8000);
    expect(requestDeadlineMs(8000, left(BOOKING_MARGIN_MS + 2000))).toBe(2000);
    expect(requestDeadlineMs(8000, left(BOOKING_MARGIN_MS - 1000))).toBe(0);
    expect(requestDeadlineMs(8000, undefined)).toBe(8000);
  });
});

/** One chat request through the chat service, on an invocation that has `remainingMs` left. */
async function serveWith(remainingMs: number, stream: boolean) {
  const context = lambdaContext('chat', remainingMs);
  const request = chatRequestSchema.parse({ model: 'target', stream, messages: [{ role: 'user', content: 'hi' }] });
  const gateway: GatewayRequest = {
    event: { body: null, headers: {} } as unknown as APIGatewayProxyEvent,
    lambdaContext: context,
    requestId: `clamp-${remainingMs}-${String(stream)}`,
    log: requestLog('clamp', context.awsRequestId),
    route: undefined,
    body: request,
    startedAt: performance.now(),
  };
  const principal = {
    tenant: 'dev',
    keyId: fixture.gateway.devKey.id,
    plan: 'default',
    scopes: ['chat' as const],
    models: null,
  };
  return serveChat(gateway, fixture.gateway.config, principal, request);
}

async function recordOf(ledgerId: string) {
  const { records } = await ledgerOf(fixture.gateway.store.endpoint);
  return records.find((r) => r.pk?.S === `REQ#${ledgerId}`);
}

async function textOf(body: Readable): Promise<string> {
  let text = '';
  for await (const chunk of body) text += String(chunk);
  return text;
}

it("a stream on an invocation with 400 ms to spare (past the margin) ends with the deadline's 504 error event, booked", async () => {
  fixture.fake.enqueue(
    reply.stream(textChunks('a long answer that keeps coming', { parts: 30 }), { chunkDelayMs: 100 }),
  );
  const result = await serveWith(BOOKING_MARGIN_MS + 400, true);
  expect(result.statusCode).toBe(200);
  const text = await textOf(result.body as Readable);
  expect(text).not.toContain('[DONE]');
  const last = text.trim().split('\n\n').at(-1) ?? '';
  expect(JSON.parse(last.slice('data: '.length))).toMatchObject({ error: { code: 'request_deadline_exceeded' } });
  const record = await recordOf(String(result.headers?.[LEDGER_ID_HEADER]));
  expect(record?.status?.N).toBe('504');
});

it('a JSON request on an invocation with no time past the margin → 504 request_deadline_exceeded, booked', async () => {
  fixture.fake.enqueue(reply.text('late', { delayMs: 2000 }));
  const failure = await serveWith(BOOKING_MARGIN_MS + 300, false).then(
    () => undefined,
    (err: unknown) => err as { status: number; code: string; headers?: Record<string, string> },
  );
  expect([failure?.status, failure?.code]).toEqual([504, 'request_deadline_exceeded']);
  const ledgerId = failure?.headers?.[LEDGER_ID_HEADER] ?? '';
  expect((await recordOf(ledgerId))?.status?.N).toBe('504');
});
