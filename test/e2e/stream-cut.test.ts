import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import {
  events,
  startFakeAnthropic,
  usage as anthropicUsage,
  reply as anthropicReply,
  errorAfterContentEvents,
  type FakeAnthropic,
} from '../fakes/fake-anthropic.js';
import { reply, startFakeOpenAI, textChunks, type FakeOpenAI } from '../fakes/fake-openai.js';
import { ledgerOf } from '../helpers/ledger.js';
import { tempDir } from '../helpers/tmp.js';
import { captureEmf } from '../observability/emf-capture.js';

// A stream cut short — the upstream closing early (OpenAI: no finish_reason; Anthropic: no message_stop), or the
// request deadline passing mid-stream — ends with an error event in the route's format, never with [DONE] or
// message_stop/end_turn; its ledger record carries the error's status, and a failed Anthropic stream keeps the input
// counts its message_start reported. Both client formats, OpenAI and Anthropic upstreams.
const dir = tempDir('gw-stream-cut');
let openai: FakeOpenAI;
let claude: FakeAnthropic;
let gateway: LocalGateway;

beforeAll(async () => {
  [openai, claude] = await Promise.all([
    startFakeOpenAI({ apiKey: 'sk-cut-o' }),
    startFakeAnthropic({ apiKey: 'sk-cut-a' }),
  ]);
  Object.assign(process.env, { CUT_KEY_O: 'sk-cut-o', CUT_KEY_A: 'sk-cut-a' });
  const one = (provider: string, timeouts: Record<string, number> = {}) => ({
    targets: [{ provider, model: `${provider}-model` }],
    retry: { attempts: 1 },
    timeouts: { requestMs: 8000, connectMs: 2000, firstByteMs: 4000, idleMs: 4000, ...timeouts },
  });
  const configFile = join(dir.path, 'gateway.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: {
        o: { type: 'openai', baseURL: openai.url, apiKeyEnv: 'CUT_KEY_O' },
        a: { type: 'anthropic', baseURL: claude.url, apiKeyEnv: 'CUT_KEY_A' },
      },
      models: { o: one('o'), a: one('a'), oSlow: one('o', { requestMs: 700 }), aSlow: one('a', { requestMs: 700 }) },
      auth: { cacheTtlSeconds: 0 },
    }),
  );
  gateway = await startLocalGateway({ port: 0, host: '127.0.0.1', dataDir: dir.path, configFile, adminKey: 'admin' });
});
afterAll(async () => {
  await gateway.stop();
  await Promise.all([openai.close(), claude.close()]);
  dir.remove();
});

type Format = 'openai' | 'anthropic';
const PATHS: Record<Format, string> = { openai: '/v1/chat/completions', anthropic: '/v1/messages' };

/** A streamed request through raw fetch, so the test sees every frame as sent. */
async function stream(format: Format, model: string): Promise<{ status: number; ledgerId: string; text: string }> {
  const body =
    format === 'openai'
      ? { model, stream: true, messages: [{ role: 'user', content: 'hi' }] }
      : { model, stream: true, max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };
  const response = await fetch(`${gateway.url}${PATHS[format]}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.devKey.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    ledgerId: response.headers.get('x-gateway-ledger-id') ?? '',
    text: await response.text(),
  };
}

/** The stream ended with an error event carrying `code`, in the route's format, and with nothing that says complete. */
function expectFailedStream(format: Format, text: string, code: string): void {
  const frames = text.trim().split('\n\n');
  const last = frames.at(-1) ?? '';
  if (format === 'openai') {
    expect(text).not.toContain('[DONE]');
    expect(last.startsWith('data: ')).toBe(true);
    expect(JSON.parse(last.slice('data: '.length))).toMatchObject({ error: { code } });
  } else {
    expect(text).not.toContain('message_stop');
    expect(text).not.toContain('end_turn');
    expect(last.startsWith('event: error\n')).toBe(true);
    expect(last).toContain(`"${code}"`);
  }
}

/** The request's record in the ledger (written before the stream's last frame). */
async function recordOf(ledgerId: string): Promise<Record<string, { S?: string; N?: string; BOOL?: boolean }>> {
  const { records } = await ledgerOf(gateway.store.endpoint);
  const record = records.find((r) => r.pk?.S === `REQ#${ledgerId}`);
  if (record === undefined) throw new Error(`no ledger record ${ledgerId}`);
  return record as Record<string, { S?: string; N?: string; BOOL?: boolean }>;
}

const cutChunks = (text: string) => textChunks(text, { parts: 4 }).slice(0, -1);

describe.each<Format>(['openai', 'anthropic'])('client format %s', (format) => {
  it('an OpenAI upstream that closes cleanly mid-answer (no finish_reason, no [DONE]) → 502 upstream_stream_truncated, booked as failed', async () => {
    openai.enqueue(reply.stream(cutChunks('one two three four'), { done: false }));
    const { status, ledgerId, text } = await stream(format, 'o');
    expect(status).toBe(200);
    expect(text).toContain('one');
    expectFailedStream(format, text, 'upstream_stream_truncated');
    const record = await recordOf(ledgerId);
    expect(record.status?.N).toBe('502');
  });

  it('an OpenAI upstream that sends [DONE] without a finish_reason is cut short too', async () => {
    openai.enqueue(reply.stream(cutChunks('one two three four')));
    const { ledgerId, text } = await stream(format, 'o');
    expectFailedStream(format, text, 'upstream_stream_truncated');
    expect((await recordOf(ledgerId)).status?.N).toBe('502');
  });

  it('the request deadline cutting an OpenAI stream → 504 request_deadline_exceeded, booked as failed', async () => {
    openai.enqueue(reply.stream(textChunks('a slow answer that goes on and on', { parts: 20 }), { chunkDelayMs: 100 }));
    const { ledgerId, text } = await stream(format, 'oSlow');
    expectFailedStream(format, text, 'request_deadline_exceeded');
    expect((await recordOf(ledgerId)).status?.N).toBe('504');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(openai.requests.at(-1)?.clientAborted).toBe(true);
  });

  it('the request deadline cutting an Anthropic stream → a 504 error event (not a cut connection), booked with the input counts of message_start', async () => {
    const u = anthropicUsage({ input: 1234, output: 40 });
    const slow = [
      events.messageStart({ usage: u }),
      ...events.text(
        0,
        Array.from({ length: 20 }, (_, i) => `w${i} `),
      ),
      events.messageDelta('end_turn', u),
      events.messageStop(),
    ];
    claude.enqueue(anthropicReply.stream(slow, { eventDelayMs: 100 }));
    const { ledgerId, text } = await stream(format, 'aSlow');
    expect(text).toContain('w0');
    expectFailedStream(format, text, 'request_deadline_exceeded');
    const record = await recordOf(ledgerId);
    expect(record.status?.N).toBe('504');
    expect(record.inputTokens?.N).toBe('1234');
    expect(record.estimated?.BOOL).toBe(true);
  });

  it("an Anthropic stream that ends before message_stop → 502 upstream_stream_truncated, booked with message_start's input counts", async () => {
    const u = anthropicUsage({ input: 2345, output: 40 });
    claude.enqueue(
      anthropicReply.stream([events.messageStart({ usage: u }), ...events.text(0, ['alpha ', 'beta ', 'gamma'])]),
    );
    const { ledgerId, text } = await stream(format, 'a');
    expect(text).toContain('alpha');
    expectFailedStream(format, text, 'upstream_stream_truncated');
    const record = await recordOf(ledgerId);
    expect(record.status?.N).toBe('502');
    expect(record.inputTokens?.N).toBe('2345');
    // The output is estimated from what was produced, never below what the provider had reported (1).
    expect(Number(record.outputTokens?.N)).toBeGreaterThanOrEqual(1);
  });

  it('an Anthropic error event mid-stream keeps the input counts message_start reported (not an estimate)', async () => {
    claude.enqueue(
      anthropicReply.stream(
        errorAfterContentEvents('Partial answer here', 'api_error', { usage: anthropicUsage({ input: 3456 }) }),
      ),
    );
    const { ledgerId, text } = await stream(format, 'a');
    expectFailedStream(format, text, 'upstream_error');
    const record = await recordOf(ledgerId);
    expect(record.status?.N).toBe('502');
    expect(record.inputTokens?.N).toBe('3456');
  });

  it("a complete stream still ends cleanly, booked 200 with the provider's usage", async () => {
    openai.enqueue(reply.stream(textChunks('all of it', { parts: 3 })));
    const { ledgerId, text } = await stream(format, 'o');
    if (format === 'openai') expect(text.trim().endsWith('data: [DONE]')).toBe(true);
    else expect(text).toContain('event: message_stop');
    expect((await recordOf(ledgerId)).status?.N).toBe('200');
  });
});

describe('failed streams in the counters and metrics', () => {
  it("a truncated stream counts in Errors and in the usage counters' errors", async () => {
    const before = (await ledgerOf(gateway.store.endpoint)).counters.reduce((sum, row) => sum + row.errors, 0);
    const emf = captureEmf();
    try {
      openai.enqueue(reply.stream(cutChunks('one two three four'), { done: false }));
      await stream('openai', 'o');
      for (let i = 0; i < 100 && !emf.documents.some((d) => 'Requests' in d); i++)
        await new Promise((r) => setTimeout(r, 10));
      const document = emf.documents.find((d) => 'Requests' in d);
      // The status is in the request's log line, not the EMF document (kept small: docs/PERFORMANCE.md).
      expect(document).toMatchObject({ Errors: 1 });
      expect(document).not.toHaveProperty('status');
    } finally {
      emf.stop();
    }
    const after = (await ledgerOf(gateway.store.endpoint)).counters.reduce((sum, row) => sum + row.errors, 0);
    expect(after - before).toBe(1);
  });
});

describe('OpenAI refusals in streams', () => {
  const refusalChunks = () =>
    textChunks("I'm sorry, I can't help with that.", { parts: 3 }).map((chunk) => {
      const choice = chunk.choices[0];
      if (choice?.delta.content === undefined || choice.delta.content === '' || choice.delta.content === null)
        return chunk;
      return { ...chunk, choices: [{ ...choice, delta: { refusal: choice.delta.content } }] };
    });

  it('/v1/chat/completions: delta.refusal reaches the client', async () => {
    openai.enqueue(reply.stream(refusalChunks()));
    const { text } = await stream('openai', 'o');
    const refusal = text
      .split('\n\n')
      .filter((frame) => frame.startsWith('data: {'))
      .map((frame) => JSON.parse(frame.slice(6)) as { choices: { delta: { refusal?: string } }[] })
      .map((chunk) => chunk.choices[0]?.delta.refusal ?? '')
      .join('');
    expect(refusal).toBe("I'm sorry, I can't help with that.");
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);
  });

  it('/v1/messages: the refusal ends the message as stop_reason refusal with its text, as a Message has it', async () => {
    openai.enqueue(reply.stream(refusalChunks()));
    const { text } = await stream('anthropic', 'o');
    const delta = text.split('\n\n').find((frame) => frame.startsWith('event: message_delta\n'));
    const data = JSON.parse(delta?.split('\ndata: ')[1] ?? '{}') as {
      delta?: { stop_reason?: string; stop_details?: { explanation?: string } };
    };
    expect(data.delta?.stop_reason).toBe('refusal');
    expect(data.delta?.stop_details?.explanation).toBe("I'm sorry, I can't help with that.");
  });
});
