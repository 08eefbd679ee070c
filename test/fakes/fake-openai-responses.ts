/**
 * The Responses API side of the fake OpenAI (fake-openai.ts routes POST /v1/responses here): documented Response
 * bodies and SSE event sequences, and the default reply when nothing is queued.
 *
 *   fake.enqueue(responsesReply.json(responseBody([reasoningItem(['Plan'], 'enc_1'), messageItem('Hi')])));
 *   fake.enqueue(responsesReply.stream(responseBody([functionCallItem(call)], { usage: responsesUsage({ reasoning: 4 }) })));
 *   fake.enqueue(responsesReply.events([...]));   // any events, as written
 *
 * `responseEvents(body)` is the documented sequence for a finished Response: response.created, response.in_progress,
 * then per output item output_item.added, its parts (content_part.added, output_text.delta… / .done,
 * content_part.done; function_call_arguments.delta… / .done; reasoning_summary_part.added,
 * reasoning_summary_text.delta… / .done, reasoning_summary_part.done), output_item.done (the whole item, a reasoning
 * item's encrypted_content included), and the end by the body's status: response.completed, response.incomplete or
 * response.failed. Every event has `event: <type>` and a `sequence_number`; there is no [DONE].
 * Default reply (nothing queued): the last user text back, with a reasoning item first when the request set
 * `reasoning.effort` (its encrypted_content only when `include` asks for it), streamed when `stream: true`; to a
 * request offering web_search, a web search and its cited answer instead of the text (fake-openai-web-search.ts).
 * A message's annotations stream as response.output_text.annotation.added after its text's deltas; a web_search_call
 * as output_item.added (in_progress), response.web_search_call.in_progress / searching / completed, output_item.done.
 */
import type { Response, ResponseOutputItem, ResponseUsage } from 'openai/resources/responses/responses';
import { offersWebSearch, webSearchOutput } from './fake-openai-web-search.js';
import type { SplitOptions } from './sse-writer.js';

export interface EventsScript {
  readonly kind: 'events';
  readonly events: readonly { readonly type: string }[];
  readonly headers?: Readonly<Record<string, string>>;
  readonly delayMs?: number;
  readonly split?: SplitOptions | false;
  readonly chunkDelayMs?: number;
  readonly hold?: { readonly afterFrames: number; readonly until: Promise<void> };
  readonly disconnectAfterChunks?: number;
}
type EventsOptions = Omit<EventsScript, 'kind' | 'events'>;
interface JsonBody {
  readonly kind: 'json';
  readonly body: object;
  readonly headers?: Readonly<Record<string, string>>;
}

const MODEL = 'gpt-5-mini-2025-08-07';
const CREATED = 1_767_225_600;
let ids = 0;
const nextId = (prefix: string): string => `${prefix}_fake${(++ids).toString(36).padStart(8, '0')}`;

export function responsesUsage(counts: { input?: number; output?: number; cached?: number; reasoning?: number } = {}) {
  const input = counts.input ?? 12;
  const output = counts.output ?? 5;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: counts.cached ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: counts.reasoning ?? 0 },
    total_tokens: input + output,
  } as ResponseUsage;
}

export const messageItem = (text: string, refusal?: string): ResponseOutputItem => ({
  id: nextId('msg'),
  type: 'message',
  role: 'assistant',
  status: 'completed',
  content: [
    ...(text === '' ? [] : [{ type: 'output_text' as const, text, annotations: [], logprobs: [] }]),
    ...(refusal === undefined ? [] : [{ type: 'refusal' as const, refusal }]),
  ],
});

export const functionCallItem = (call: { id: string; name: string; arguments: string }): ResponseOutputItem => ({
  id: nextId('fc'),
  type: 'function_call',
  status: 'completed',
  call_id: call.id,
  name: call.name,
  arguments: call.arguments,
});

export const reasoningItem = (summary: readonly string[], encrypted?: string): ResponseOutputItem => ({
  id: nextId('rs'),
  type: 'reasoning',
  summary: summary.map((text) => ({ type: 'summary_text' as const, text })),
  ...(encrypted === undefined ? {} : { encrypted_content: encrypted }),
});

export interface BodyOptions {
  readonly model?: string;
  readonly usage?: ResponseUsage;
  readonly status?: 'completed' | 'incomplete' | 'failed';
  readonly incomplete?: 'max_output_tokens' | 'content_filter';
  readonly error?: { readonly code: string; readonly message: string };
}

export function responseBody(output: readonly ResponseOutputItem[], options: BodyOptions = {}): Response {
  const status = options.status ?? (options.incomplete === undefined ? 'completed' : 'incomplete');
  return {
    id: nextId('resp'),
    object: 'response',
    created_at: CREATED,
    status,
    error: status === 'failed' ? (options.error ?? { code: 'server_error', message: 'The model failed.' }) : null,
    incomplete_details: options.incomplete === undefined ? null : { reason: options.incomplete },
    instructions: null,
    metadata: {},
    model: options.model ?? MODEL,
    output: [...output],
    output_text: '',
    parallel_tool_calls: true,
    temperature: 1,
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    store: false,
    usage: status === 'failed' ? null : (options.usage ?? responsesUsage()),
  } as unknown as Response;
}

function pieces(text: string, parts: number): string[] {
  const chars = [...text];
  const size = Math.max(1, Math.ceil(chars.length / Math.max(1, parts)));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

type Event = { readonly type: string; readonly [field: string]: unknown };

function itemEvents(item: ResponseOutputItem, output_index: number, parts: number): Event[] {
  const at = { item_id: item.id, output_index };
  if (item.type === 'message') {
    const added = { ...item, status: 'in_progress', content: [] };
    return [
      { type: 'response.output_item.added', output_index, item: added },
      ...item.content.flatMap((part, content_index): Event[] => {
        const where = { ...at, content_index };
        const empty = part.type === 'output_text' ? { ...part, text: '', annotations: [] } : { ...part, refusal: '' };
        const notes = part.type === 'output_text' ? part.annotations : [];
        const text = part.type === 'output_text' ? part.text : part.refusal;
        const kind = part.type === 'output_text' ? 'output_text' : 'refusal';
        const extra = part.type === 'output_text' ? { logprobs: [] } : {};
        return [
          { type: 'response.content_part.added', ...where, part: empty },
          ...pieces(text, parts).map((delta) => ({ type: `response.${kind}.delta`, ...where, delta, ...extra })),
          ...notes.map((annotation, annotation_index) => ({
            type: 'response.output_text.annotation.added',
            ...where,
            annotation_index,
            annotation,
          })),
          {
            type: `response.${kind}.done`,
            ...where,
            [part.type === 'output_text' ? 'text' : 'refusal']: text,
            ...extra,
          },
          { type: 'response.content_part.done', ...where, part },
        ];
      }),
      { type: 'response.output_item.done', output_index, item },
    ];
  }
  if (item.type === 'function_call') {
    return [
      { type: 'response.output_item.added', output_index, item: { ...item, arguments: '', status: 'in_progress' } },
      ...pieces(item.arguments, parts).map((delta) => ({
        type: 'response.function_call_arguments.delta',
        ...at,
        delta,
      })),
      { type: 'response.function_call_arguments.done', ...at, name: item.name, arguments: item.arguments },
      { type: 'response.output_item.done', output_index, item },
    ];
  }
  if (item.type === 'reasoning') {
    const { encrypted_content: _encrypted, ...open } = item;
    return [
      { type: 'response.output_item.added', output_index, item: { ...open, summary: [] } },
      ...item.summary.flatMap((part, summary_index): Event[] => [
        { type: 'response.reasoning_summary_part.added', ...at, summary_index, part: { ...part, text: '' } },
        ...pieces(part.text, parts).map((delta) => ({
          type: 'response.reasoning_summary_text.delta',
          ...at,
          summary_index,
          delta,
        })),
        { type: 'response.reasoning_summary_text.done', ...at, summary_index, text: part.text },
        { type: 'response.reasoning_summary_part.done', ...at, summary_index, part },
      ]),
      { type: 'response.output_item.done', output_index, item },
    ];
  }
  // A hosted tool's call (web_search_call…): added in progress, its documented progress events, done.
  const steps = item.type === 'web_search_call' ? ['in_progress', 'searching', 'completed'] : [];
  return [
    {
      type: 'response.output_item.added',
      output_index,
      item: steps.length === 0 ? item : { ...item, status: 'in_progress' },
    },
    ...steps.map((step): Event => ({ type: `response.${item.type}.${step}`, ...at })),
    { type: 'response.output_item.done', output_index, item },
  ];
}

/** The documented event sequence of a finished Response, numbered. */
export function responseEvents(body: Response, options: { parts?: number } = {}): Event[] {
  const open = { ...body, status: 'in_progress', output: [], usage: null, error: null, incomplete_details: null };
  const end = body.status === 'failed' ? 'failed' : body.status === 'incomplete' ? 'incomplete' : 'completed';
  const events: Event[] = [
    { type: 'response.created', response: open },
    { type: 'response.in_progress', response: open },
    ...body.output.flatMap((item, index) => itemEvents(item, index, options.parts ?? 3)),
    { type: `response.${end}`, response: body },
  ];
  return events.map((event, sequence_number) => ({ ...event, sequence_number }));
}

export const responsesReply = {
  json: (body: Response | object, headers?: Record<string, string>): JsonBody => ({
    kind: 'json',
    body,
    ...(headers === undefined ? {} : { headers }),
  }),
  text: (text: string, options: BodyOptions = {}): JsonBody => ({
    kind: 'json',
    body: responseBody([messageItem(text)], options),
  }),
  stream: (body: Response, options: EventsOptions & { parts?: number } = {}): EventsScript => {
    const { parts, ...rest } = options;
    return { kind: 'events', events: responseEvents(body, parts === undefined ? {} : { parts }), ...rest };
  },
  events: (events: readonly { readonly type: string }[], options: EventsOptions = {}): EventsScript => ({
    kind: 'events',
    events,
    ...options,
  }),
};

/** An SSE frame of the Responses API: the event's type as `event:`, the JSON as `data:`. */
export const responsesFrame = (event: { readonly type: string }): string =>
  `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

interface ResponsesRequestBody {
  readonly model?: unknown;
  readonly input?: unknown;
  readonly stream?: unknown;
  readonly include?: unknown;
  readonly tools?: unknown;
  readonly reasoning?: { readonly effort?: unknown } | null;
}

function lastUserText(input: unknown): string {
  if (typeof input === 'string') return input;
  if (!Array.isArray(input)) return '';
  const items = input as { role?: unknown; content?: unknown }[];
  const last = items.filter((item) => item.role === 'user').at(-1);
  if (typeof last?.content === 'string') return last.content;
  if (!Array.isArray(last?.content)) return '';
  return (last.content as { text?: unknown }[])
    .map((part) => (typeof part.text === 'string' ? part.text : ''))
    .join('');
}

const estimate = (text: string): number => Math.max(1, Math.ceil(Buffer.byteLength(text) / 4));

/** POST /v1/responses with nothing queued. */
export function responsesEcho(body: unknown): JsonBody | EventsScript {
  const request = (typeof body === 'object' && body !== null ? body : {}) as ResponsesRequestBody;
  const text = lastUserText(request.input);
  const thinking = request.reasoning?.effort != null;
  const encrypted = Array.isArray(request.include) && request.include.includes('reasoning.encrypted_content');
  const output = [
    ...(thinking
      ? [reasoningItem([`Considering: ${text}`], encrypted ? `enc_${Buffer.from(text).toString('base64')}` : undefined)]
      : []),
    ...(offersWebSearch(request.tools) ? webSearchOutput(nextId) : [messageItem(text)]),
  ];
  const usage = responsesUsage({
    input: estimate(JSON.stringify(request.input ?? '')),
    output: estimate(text) + (thinking ? 8 : 0),
    reasoning: thinking ? 8 : 0,
  });
  const model = typeof request.model === 'string' ? request.model : MODEL;
  const response = responseBody(output, { model, usage });
  return request.stream === true ? responsesReply.stream(response) : responsesReply.json(response);
}
