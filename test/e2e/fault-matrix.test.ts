import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI, { APIError } from 'openai';
import { resetBreakers } from '../../lambdas/routing/breaker.js';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import {
  HEALTHY_TEXT,
  PARTIAL_TEXT,
  startFaultUpstream,
  type Fault,
  type FaultUpstream,
} from '../fakes/fault-upstream.js';
import { ledgerOf } from '../helpers/ledger.js';
import { unusedPort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';

// Issue 14's fault matrix, end to end: the real local gateway in front of a fault-injecting upstream (real faults:
// refused connections, sockets destroyed, stalls, bad bytes), each fault on a single-target alias and on a fallback
// alias (the faulty target, then a healthy one), as JSON (the openai SDK, no retries of its own) and as a stream (raw
// fetch, to see every SSE event). Asserted: what the client gets — a complete answer (from the healthy target when
// nothing had been sent yet), or an error with its status and code, or, once content went out, an SSE error event,
// never a clean end — and that the ledger has each request exactly once, failed ones with an error status.
// Timeouts are short so the file stays CI-sized.

type Mode = 'json' | 'stream';
type Shape = 'single' | 'fallback';
/** A matrix fault: the upstream's, a refused connection, or a trickle slower than the request deadline. */
type Case = Exclude<Fault, 'ok'> | 'refused' | 'deadline';

/** An error code, or an asymmetric matcher of one. */
type Code = unknown;

/** What the client gets. */
type Outcome =
  /** A complete answer with this text, from this provider. */
  | { readonly kind: 'answer'; readonly text: string; readonly provider: string; readonly attempts?: number }
  /** An error answer before any byte of content (also for streams: the status is not 200). */
  | { readonly kind: 'error'; readonly status: number; readonly code: Code; readonly retryAfter?: string }
  /** A stream that began (200, content) and failed: an SSE error event with this code, no finish, no [DONE]. */
  | { readonly kind: 'cut'; readonly code: Code };

// Item 10: an upstream 200 that is not an answer (invalid JSON, an error object) has its own code.
const NOT_UNREACHABLE = expect.stringMatching(/^upstream_(?!unreachable$)/);
// Item 8: a stream that ends cleanly without its end is a failed stream (the code may say it was cut short).
const STREAM_FAILED = expect.stringMatching(/^upstream_stream_/);
const healthy = (attempts?: number): Outcome => ({
  kind: 'answer',
  text: HEALTHY_TEXT,
  provider: 'healthy',
  ...(attempts === undefined ? {} : { attempts }),
});
const error = (status: number, code: Code, retryAfter?: string): Outcome => ({
  kind: 'error',
  status,
  code,
  ...(retryAfter === undefined ? {} : { retryAfter }),
});

/** The wanted outcome of each fault, per alias shape and mode (retry.attempts 2: a retried fault costs 2 tries). */
function expected(fault: Case, shape: Shape, mode: Mode): Outcome {
  const single = shape === 'single';
  switch (fault) {
    case '500':
      return single ? error(502, 'upstream_error') : healthy(3);
    case '429-short':
      return single ? error(429, 'upstream_rate_limited', '1') : healthy(3);
    case '429-long':
      return single ? error(429, 'upstream_rate_limited', '30') : healthy(2);
    case '529':
      return single ? error(502, 'upstream_overloaded') : healthy(3);
    case 'refused':
    case 'no-headers':
      return single ? error(502, 'upstream_unreachable') : healthy(3);
    case 'stall-before':
      return single ? error(504, 'upstream_timeout') : healthy(3);
    case 'stall-after':
      if (mode === 'stream') return { kind: 'cut', code: 'upstream_idle_timeout' };
      return single ? error(504, 'upstream_timeout') : healthy(3);
    case 'destroy-mid':
      if (mode === 'stream') return { kind: 'cut', code: 'upstream_stream_error' };
      return single ? error(502, expect.stringMatching(/^upstream_/)) : healthy();
    case 'truncated':
      if (mode === 'stream') return { kind: 'cut', code: STREAM_FAILED };
      return single ? error(502, NOT_UNREACHABLE) : healthy();
    case 'invalid-json':
    case 'error-200':
      return single ? error(502, NOT_UNREACHABLE) : healthy();
    case 'big':
      return { kind: 'answer', text: 'x'.repeat(BIG_BYTES), provider: 'f-big', attempts: 1 };
    case 'trickle':
      return { kind: 'answer', text: PARTIAL_TEXT, provider: 'f-trickle', attempts: 1 };
    case 'deadline':
      // The deadline covers the whole request, fallbacks and the stream included.
      return mode === 'stream'
        ? { kind: 'cut', code: 'request_deadline_exceeded' }
        : error(504, 'request_deadline_exceeded');
  }
}

const CASES: readonly Case[] = [
  '500',
  '429-short',
  '429-long',
  '529',
  'refused',
  'no-headers',
  'stall-before',
  'stall-after',
  'destroy-mid',
  'invalid-json',
  'truncated',
  'error-200',
  'big',
  'trickle',
  'deadline',
];
const BIG_BYTES = 6 * 1024 * 1024;
// A client waits at most this long for one answer (a hung answer fails its case, not the whole file).
const CLIENT_TIMEOUT_MS = 15_000;

const dir = tempDir('gw-fault-matrix');
let faults: FaultUpstream;
let gateway: LocalGateway;
let client: OpenAI;
/** Requests the matrix made, and the ledger ids their answers named (a client that timed out saw none). */
let made = 0;
const ledgerIds: string[] = [];

beforeAll(async () => {
  faults = await startFaultUpstream({ bigBytes: BIG_BYTES, trickle: { pieces: 8, gapMs: 150 } });
  process.env.FAULT_UPSTREAM_KEY = 'sk-fault';
  const provider = (baseURL: string) => ({
    type: 'openai',
    baseURL,
    apiKeyEnv: 'FAULT_UPSTREAM_KEY',
    timeoutMs: 20_000,
  });
  const providers: Record<string, unknown> = {
    healthy: provider(faults.openAIUrl('ok')),
    'f-refused': provider(`http://127.0.0.1:${await unusedPort()}/v1`),
    'f-deadline': provider(faults.openAIUrl('trickle')),
  };
  for (const fault of CASES)
    if (fault !== 'refused' && fault !== 'deadline') providers[`f-${fault}`] = provider(faults.openAIUrl(fault));
  for (const fault of ANTHROPIC_CASES) {
    providers[`a-${fault}`] = {
      ...provider(faults.anthropicUrl(fault === 'deadline' ? 'trickle' : fault)),
      type: 'anthropic',
    };
  }
  // Breakers never open here (each fault is met many times): breakers have tests of their own.
  const policy = (fault: Case) => ({
    retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterMs: 1500 },
    timeouts:
      fault === 'big'
        ? { requestMs: 20_000, connectMs: 2000, firstByteMs: 15_000, idleMs: 5000 }
        : fault === 'trickle'
          ? { requestMs: 10_000, connectMs: 2000, firstByteMs: 5000, idleMs: 1000 }
          : fault === 'deadline'
            ? { requestMs: 800, connectMs: 2000, firstByteMs: 5000, idleMs: 1000 }
            : { requestMs: 5000, connectMs: 400, firstByteMs: 700, idleMs: 400 },
    breaker: { failures: 1000, cooldownMs: 100 },
  });
  const models: Record<string, unknown> = {};
  for (const fault of CASES) {
    models[`${fault}-single`] = { targets: [{ provider: `f-${fault}`, model: 'm' }], ...policy(fault) };
    models[`${fault}-fallback`] = {
      targets: [
        { provider: `f-${fault}`, model: 'm' },
        { provider: 'healthy', model: 'm' },
      ],
      ...policy(fault),
    };
  }
  for (const fault of ANTHROPIC_CASES)
    models[`a-${fault}`] = { targets: [{ provider: `a-${fault}`, model: 'm' }], ...policy(fault) };
  const configFile = join(dir.path, 'gateway.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      providers,
      models,
      plans: { default: { rateLimit: 1000, burstLimit: 1000 } },
      auth: { cacheTtlSeconds: 0 },
    }),
  );
  gateway = await startLocalGateway({ port: 0, host: '127.0.0.1', dataDir: dir.path, configFile, adminKey: 'admin' });
  client = new OpenAI({
    baseURL: `${gateway.url}/v1`,
    apiKey: gateway.devKey.key,
    maxRetries: 0,
    timeout: CLIENT_TIMEOUT_MS,
  });
});
afterAll(async () => {
  await gateway.stop();
  await faults.close();
  delete process.env.FAULT_UPSTREAM_KEY;
  dir.remove();
});
beforeEach(() => resetBreakers());

const ask = [{ role: 'user' as const, content: 'hi' }];

/** What a client saw, whatever the mode. */
interface Seen {
  readonly status: number;
  readonly headers: Headers;
  readonly code?: string;
  readonly text: string;
  readonly finishReasons: readonly string[];
  /** The code of the SSE error event, if the stream had one. */
  readonly streamError?: string;
  readonly done: boolean;
  /** Data lines after an error event or after [DONE] (must be none). */
  readonly afterEnd: number;
  /** The gateway cut the connection (the body ended in a network error, not at its end). */
  readonly cutOff?: boolean;
}

/** The whole body, or what came before the connection was cut. */
async function readAll(response: Response): Promise<{ body: string; cutOff: boolean }> {
  const decoder = new TextDecoder();
  let body = '';
  try {
    for await (const piece of response.body ?? []) body += decoder.decode(piece, { stream: true });
    return { body: body + decoder.decode(), cutOff: false };
  } catch {
    return { body, cutOff: true };
  }
}

async function viaSdk(model: string): Promise<Seen> {
  try {
    const { data, response } = await client.chat.completions.create({ model, messages: ask }).withResponse();
    const choice = data.choices[0];
    return {
      status: response.status,
      headers: response.headers,
      text: choice?.message.content ?? '',
      finishReasons: choice?.finish_reason ? [choice.finish_reason] : [],
      done: true,
      afterEnd: 0,
    };
  } catch (err) {
    if (!(err instanceof APIError) || err.status === undefined) throw err;
    return {
      status: err.status,
      headers: err.headers ?? new Headers(),
      ...(err.code == null ? {} : { code: err.code }),
      text: '',
      finishReasons: [],
      done: false,
      afterEnd: 0,
    };
  }
}

interface ChunkData {
  readonly choices?: readonly {
    readonly delta?: { readonly content?: string | null };
    readonly finish_reason?: string | null;
  }[];
  readonly error?: { readonly code?: string | null };
}

async function viaSse(model: string): Promise<Seen> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.devKey.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: ask, stream: true }),
    signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
  });
  const { body, cutOff } = await readAll(response);
  if (response.status !== 200) {
    const parsed = JSON.parse(body) as ChunkData;
    return {
      status: response.status,
      headers: response.headers,
      ...(parsed.error?.code == null ? {} : { code: parsed.error.code }),
      text: '',
      finishReasons: [],
      done: false,
      afterEnd: 0,
    };
  }
  let text = '';
  const finishReasons: string[] = [];
  let streamError: string | undefined;
  let done = false;
  let afterEnd = 0;
  for (const frame of body.split('\n\n')) {
    const data = frame
      .split('\n')
      .find((line) => line.startsWith('data: '))
      ?.slice(6);
    if (data === undefined) continue;
    if (done || streamError !== undefined) afterEnd += 1;
    if (data === '[DONE]') {
      done = true;
      continue;
    }
    const chunk = JSON.parse(data) as ChunkData;
    if (chunk.error !== undefined) streamError = chunk.error.code ?? 'no code';
    for (const choice of chunk.choices ?? []) {
      text += choice.delta?.content ?? '';
      if (choice.finish_reason) finishReasons.push(choice.finish_reason);
    }
  }
  return {
    status: 200,
    headers: response.headers,
    text,
    finishReasons,
    ...(streamError === undefined ? {} : { streamError }),
    done,
    afterEnd,
    cutOff,
  };
}

function expectOutcome(seen: Seen, want: Outcome, mode: Mode): void {
  switch (want.kind) {
    case 'answer':
      expect({ status: seen.status, code: seen.code, streamError: seen.streamError }).toEqual({
        status: 200,
        code: undefined,
        streamError: undefined,
      });
      // Compared by length and equality, not printed: a 6 MB diff helps nobody.
      expect(seen.text.length).toBe(want.text.length);
      expect(seen.text === want.text).toBe(true);
      expect(seen.finishReasons).toEqual(['stop']);
      expect(seen.headers.get('x-gateway-provider')).toBe(want.provider);
      if (want.attempts !== undefined) expect(seen.headers.get('x-gateway-attempts')).toBe(String(want.attempts));
      if (mode === 'stream') expect([seen.done, seen.afterEnd]).toEqual([true, 0]);
      return;
    case 'error':
      expect({ status: seen.status, code: seen.code }).toEqual({ status: want.status, code: want.code });
      if (want.retryAfter !== undefined) expect(seen.headers.get('retry-after')).toBe(want.retryAfter);
      return;
    case 'cut':
      // Content went out (from the faulty target only), then an error event ends the stream: never a finish or [DONE].
      expect(seen.status).toBe(200);
      expect(seen.text.length).toBeGreaterThan(0);
      expect(PARTIAL_TEXT.startsWith(seen.text)).toBe(true);
      expect({
        streamError: seen.streamError,
        finishReasons: seen.finishReasons,
        done: seen.done,
        afterEnd: seen.afterEnd,
        cutOff: seen.cutOff,
      }).toEqual({
        streamError: want.code,
        finishReasons: [],
        done: false,
        afterEnd: 0,
        cutOff: false,
      });
  }
}

/** The request's ledger record, once the local journal has written it (GET /v1/requests/{id}). */
async function ledgerRecord(ledgerId: string): Promise<{ status: number; stream: boolean } | undefined> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const response = await fetch(`${gateway.url}/v1/requests/${ledgerId}`, {
      headers: { authorization: `Bearer ${gateway.devKey.key}` },
    });
    if (response.status === 200) return (await response.json()) as { status: number; stream: boolean };
    await response.body?.cancel();
    if (Date.now() > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Booked, with the status the client saw: a failure as an error (a stream cut short as failed, >= 500). */
async function expectBooked(headers: Headers, mode: Mode, want: Outcome): Promise<void> {
  const ledgerId = headers.get('x-gateway-ledger-id') ?? '';
  expect(ledgerId).toMatch(/^req_/);
  ledgerIds.push(ledgerId);
  const record = await ledgerRecord(ledgerId);
  expect(record).toMatchObject({ stream: mode === 'stream' });
  const status = record?.status ?? 0;
  if (want.kind === 'answer') expect(status).toBe(200);
  else if (want.kind === 'error') expect(status).toBe(want.status);
  else expect(status).toBeGreaterThanOrEqual(500);
}

describe.each(['json', 'stream'] as const)('%s', (mode) => {
  describe.each(['single', 'fallback'] as const)('%s-target alias', (shape) => {
    it.each(CASES)('%s', async (fault) => {
      const want = expected(fault, shape, mode);
      made += 1;
      const seen = await (mode === 'json' ? viaSdk : viaSse)(`${fault}-${shape}`);
      expectOutcome(seen, want, mode);
      await expectBooked(seen.headers, mode, want);
    });
  });
});

// Anthropic's wire on both sides where cheap: @anthropic-ai/sdk's route (/v1/messages, raw fetch to see each event)
// in front of an Anthropic upstream, single-target aliases. Errors in Anthropic's shape, `details.error_code` the
// gateway's code; a stream ends with message_stop after a stop reason the upstream gave, or with an `event: error`.
const ANTHROPIC_CASES = [
  '500',
  '429-long',
  '529',
  'stall-after',
  'destroy-mid',
  'truncated',
  'error-200',
  'trickle',
  'deadline',
] as const;
type AnthropicCase = (typeof ANTHROPIC_CASES)[number];

function anthropicExpected(fault: AnthropicCase, mode: Mode): Outcome {
  switch (fault) {
    case '500':
      return error(502, 'upstream_error');
    case '429-long':
      return error(429, 'upstream_rate_limited', '30');
    case '529':
      return error(502, 'upstream_overloaded');
    case 'stall-after':
      return mode === 'stream' ? { kind: 'cut', code: 'upstream_idle_timeout' } : error(504, 'upstream_timeout');
    case 'destroy-mid':
      return mode === 'stream'
        ? { kind: 'cut', code: 'upstream_stream_error' }
        : error(502, expect.stringMatching(/^upstream_/));
    case 'truncated':
      return mode === 'stream' ? { kind: 'cut', code: STREAM_FAILED } : error(502, NOT_UNREACHABLE);
    case 'error-200':
      // As a stream, Anthropic's own `event: error` before any content: the provider's failure, before the 200.
      return mode === 'stream' ? error(502, 'upstream_error') : error(502, NOT_UNREACHABLE);
    case 'trickle':
      return { kind: 'answer', text: PARTIAL_TEXT, provider: 'a-trickle', attempts: 1 };
    case 'deadline':
      return mode === 'stream'
        ? { kind: 'cut', code: 'request_deadline_exceeded' }
        : error(504, 'request_deadline_exceeded');
  }
}

interface AnthropicData {
  readonly type?: string;
  readonly delta?: { readonly type?: string; readonly text?: string; readonly stop_reason?: string | null };
  readonly content?: readonly { readonly type: string; readonly text?: string }[];
  readonly stop_reason?: string | null;
  readonly error?: { readonly type?: string; readonly details?: { readonly error_code?: string } };
}

/** A /v1/messages call as Seen: finish reasons are stop reasons, `done` is message_stop. */
async function viaMessages(model: string, mode: Mode): Promise<Seen> {
  const response = await fetch(`${gateway.url}/v1/messages`, {
    method: 'POST',
    headers: {
      'x-api-key': gateway.devKey.key,
      authorization: `Bearer ${gateway.devKey.key}`,
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
    },
    body: JSON.stringify({ model, max_tokens: 100, messages: ask, ...(mode === 'stream' ? { stream: true } : {}) }),
    signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
  });
  const { body, cutOff } = await readAll(response);
  const none = { text: '', finishReasons: [], done: false, afterEnd: 0 };
  if (response.status !== 200 || mode === 'json') {
    const parsed = JSON.parse(body) as AnthropicData;
    if (parsed.type === 'error') {
      // Errors have Anthropic's shape on this route.
      expect(parsed.error?.type).toEqual(expect.any(String));
      const code = parsed.error?.details?.error_code;
      return { status: response.status, headers: response.headers, ...(code === undefined ? {} : { code }), ...none };
    }
    const text = (parsed.content ?? []).map((block) => block.text ?? '').join('');
    return {
      status: response.status,
      headers: response.headers,
      ...none,
      text,
      finishReasons: parsed.stop_reason ? [parsed.stop_reason] : [],
      done: true,
    };
  }
  let text = '';
  const finishReasons: string[] = [];
  let streamError: string | undefined;
  let done = false;
  let afterEnd = 0;
  for (const frame of body.split('\n\n')) {
    const data = frame
      .split('\n')
      .find((line) => line.startsWith('data: '))
      ?.slice(6);
    if (data === undefined) continue;
    if (done || streamError !== undefined) afterEnd += 1;
    const event = JSON.parse(data) as AnthropicData;
    if (event.type === 'error') streamError = event.error?.details?.error_code ?? 'no code';
    if (event.type === 'content_block_delta' && event.delta?.type === 'text_delta') text += event.delta.text ?? '';
    if (event.type === 'message_delta' && event.delta?.stop_reason) finishReasons.push(event.delta.stop_reason);
    if (event.type === 'message_stop') done = true;
  }
  return {
    status: 200,
    headers: response.headers,
    text,
    finishReasons,
    ...(streamError === undefined ? {} : { streamError }),
    done,
    afterEnd,
    cutOff,
  };
}

describe.each(['json', 'stream'] as const)('/v1/messages in front of an Anthropic upstream, %s', (mode) => {
  it.each(ANTHROPIC_CASES)('%s', async (fault) => {
    const want = anthropicExpected(fault, mode);
    made += 1;
    const seen = await viaMessages(`a-${fault}`, mode);
    if (want.kind === 'answer') {
      // Anthropic's stop reason for OpenAI's 'stop'.
      expect(seen.finishReasons).toEqual(['end_turn']);
      expectOutcome({ ...seen, finishReasons: ['stop'] }, want, mode);
    } else expectOutcome(seen, want, mode);
    await expectBooked(seen.headers, mode, want);
  });
});

it('the ledger has each request of the matrix exactly once: records = counters = requests made', async () => {
  expect(made).toBe(CASES.length * 4 + ANTHROPIC_CASES.length * 2);
  // The journal writes in 100 ms batches: wait until every record is there (or fail on what is).
  let ledger = await ledgerOf(gateway.store.endpoint);
  for (const deadline = Date.now() + 3000; ledger.records.length < made && Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    ledger = await ledgerOf(gateway.store.endpoint);
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  ledger = await ledgerOf(gateway.store.endpoint);
  const recorded = ledger.records.map((r) => r.pk?.S?.replace(/^REQ#/, ''));
  expect(recorded).toHaveLength(made);
  expect(new Set(recorded).size).toBe(made);
  expect(recorded).toEqual(expect.arrayContaining(ledgerIds));
  const counted = ledger.counters.reduce(
    (sum, row) => ({ requests: sum.requests + row.requests, errors: sum.errors + row.errors }),
    { requests: 0, errors: 0 },
  );
  const errors = ledger.records.filter((r) => Number(r.status?.N) >= 500).length;
  expect(counted).toEqual({ requests: made, errors });
});
