/**
 * A scriptable fake of the Azure OpenAI data plane, on node:http at 127.0.0.1 (port 0): what the openai SDK's
 * AzureOpenAI client calls with `endpoint: fake.url`.
 *
 *   POST /openai/deployments/{deployment}/chat/completions?api-version=…   JSON or SSE (`stream: true`)
 *   POST /openai/deployments/{deployment}/embeddings?api-version=…         deterministic vectors (fake-openai-embeddings)
 *   POST /{tenant}/oauth2/v2.0/token                                       Entra ID client credentials → a bearer token
 *
 * Checks as Azure does: `api-version` among `apiVersions` (else 404 "Resource not found"), the `api-key` header or a
 * bearer token it issued (else 401 with Azure's message), the deployment among `deployments` (else 404
 * DeploymentNotFound). Answers carry Azure's content-filter annotations: `prompt_filter_results` and each choice's
 * `content_filter_results`; streams start with a chunk of `choices: []` holding the prompt filter results and carry
 * an annotation chunk whose choice has no `delta` (content_filter_offsets), as Azure's asynchronous filter sends.
 * Scripts (`azureReply.*`) answer the next chat request instead: a prompt the filter blocks (400 `content_filter`), an
 * answer it filtered (finish_reason content_filter, JSON and stream), a 429.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { embeddingsBody } from './fake-openai-embeddings.js';
import { readJsonBody } from './read-body.js';
import { sseFrame, writeSse } from './sse-writer.js';

export interface AzureRequest {
  readonly method: string;
  readonly path: string;
  readonly apiVersion: string | null;
  readonly deployment: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

export type AzureScript =
  | { readonly kind: 'json'; readonly status: number; readonly body: object; readonly headers?: Record<string, string> }
  | { readonly kind: 'stream'; readonly chunks: readonly object[] };

export const AZURE_FILTER_OK = {
  hate: { filtered: false, severity: 'safe' },
  self_harm: { filtered: false, severity: 'safe' },
  sexual: { filtered: false, severity: 'safe' },
  violence: { filtered: false, severity: 'safe' },
};
const PROMPT_FILTER = [{ prompt_index: 0, content_filter_results: AZURE_FILTER_OK }];
const CREATED = 1_767_225_600;
const MODEL = 'gpt-4o-2024-11-20';

const completion = (content: string | null, finish: string, usage: object): object => ({
  id: 'chatcmpl-azure1',
  object: 'chat.completion',
  created: CREATED,
  model: MODEL,
  prompt_filter_results: PROMPT_FILTER,
  choices: [
    {
      index: 0,
      finish_reason: finish,
      logprobs: null,
      message: { role: 'assistant', ...(content === null ? {} : { content, refusal: null }) },
      content_filter_results:
        finish === 'content_filter'
          ? { ...AZURE_FILTER_OK, violence: { filtered: true, severity: 'high' } }
          : AZURE_FILTER_OK,
    },
  ],
  usage,
  system_fingerprint: 'fp_azure01',
});

const chunk = (choice: object): object => ({
  id: 'chatcmpl-azure1',
  object: 'chat.completion.chunk',
  created: CREATED,
  model: MODEL,
  system_fingerprint: 'fp_azure01',
  choices: [choice],
});

/** Azure's stream of `text` (two content chunks), its filter annotations, then `finish`. */
export function azureChunks(text: string, finish = 'stop'): object[] {
  const half = Math.ceil(text.length / 2);
  return [
    { id: '', object: '', created: 0, model: '', choices: [], prompt_filter_results: PROMPT_FILTER },
    chunk({
      index: 0,
      delta: { role: 'assistant', content: '' },
      finish_reason: null,
      logprobs: null,
      content_filter_results: {},
    }),
    chunk({
      index: 0,
      delta: { content: text.slice(0, half) },
      finish_reason: null,
      logprobs: null,
      content_filter_results: AZURE_FILTER_OK,
    }),
    {
      id: '',
      object: '',
      created: 0,
      model: '',
      choices: [
        {
          index: 0,
          finish_reason: null,
          content_filter_results: AZURE_FILTER_OK,
          content_filter_offsets: { check_offset: 0, start_offset: 0, end_offset: half },
        },
      ],
    },
    chunk({
      index: 0,
      delta: { content: text.slice(half) },
      finish_reason: null,
      logprobs: null,
      content_filter_results: AZURE_FILTER_OK,
    }),
    chunk({ index: 0, delta: {}, finish_reason: finish, logprobs: null, content_filter_results: AZURE_FILTER_OK }),
  ];
}

export const azureUsage = (prompt: number, completionTokens: number, cached = 0): object => ({
  prompt_tokens: prompt,
  completion_tokens: completionTokens,
  total_tokens: prompt + completionTokens,
  prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
  completion_tokens_details: {
    reasoning_tokens: 0,
    audio_tokens: 0,
    accepted_prediction_tokens: 0,
    rejected_prediction_tokens: 0,
  },
});

export const azureReply = {
  json: (body: object, status = 200): AzureScript => ({ kind: 'json', status, body }),
  text: (text: string, usage: object = azureUsage(11, 4)): AzureScript => ({
    kind: 'json',
    status: 200,
    body: completion(text, 'stop', usage),
  }),
  /** The answer the output filter stopped: no content, finish_reason content_filter. */
  filteredAnswer: (): AzureScript => ({
    kind: 'json',
    status: 200,
    body: completion(null, 'content_filter', azureUsage(11, 0)),
  }),
  filteredStream: (text: string): AzureScript => ({ kind: 'stream', chunks: azureChunks(text, 'content_filter') }),
  stream: (chunks: readonly object[]): AzureScript => ({ kind: 'stream', chunks }),
  /** The prompt the input filter blocked (jailbreak detected). */
  promptBlocked: (): AzureScript => ({
    kind: 'json',
    status: 400,
    body: {
      error: {
        message:
          "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
        type: null,
        param: 'prompt',
        code: 'content_filter',
        status: 400,
        innererror: {
          code: 'ResponsibleAIPolicyViolation',
          content_filter_result: { ...AZURE_FILTER_OK, jailbreak: { detected: true, filtered: true } },
        },
      },
    },
  }),
  rateLimit: (seconds = 1): AzureScript => ({
    kind: 'json',
    status: 429,
    headers: { 'retry-after': String(seconds) },
    body: {
      error: {
        code: '429',
        message: `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current tier. Please retry after ${seconds} seconds.`,
      },
    },
  }),
};

export interface FakeAzureOpenAI {
  /** The resource endpoint (the SDK's `endpoint`; the SDK adds /openai). */
  readonly url: string;
  readonly apiKey: string;
  readonly requests: AzureRequest[];
  /** Entra ID: the client credentials the token route accepts. */
  readonly entra: { readonly tenantId: string; readonly clientId: string; readonly clientSecret: string };
  enqueue(...scripts: AzureScript[]): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'apim-request-id': 'fake-apim-1',
    ...headers,
  });
  res.end(text);
}

const lastUserText = (body: unknown): string => {
  const messages = (body as { messages?: { role?: string; content?: unknown }[] } | undefined)?.messages ?? [];
  const content = [...messages].reverse().find((m) => m.role === 'user')?.content;
  if (typeof content === 'string') return content;
  const parts = Array.isArray(content) ? (content as { text?: unknown }[]) : [];
  return parts.map((part) => (typeof part.text === 'string' ? part.text : '')).join('');
};

export async function startFakeAzureOpenAI(
  options: { apiKey?: string; deployments?: readonly string[]; apiVersions?: readonly string[] } = {},
): Promise<FakeAzureOpenAI> {
  const apiKey = options.apiKey ?? 'azure-fake-key-0123456789abcdef';
  const deployments = options.deployments ?? ['gpt-4o-deploy', 'embed-deploy'];
  const apiVersions = options.apiVersions ?? ['2024-10-21'];
  const entra = { tenantId: 'tenant-fake', clientId: 'client-fake', clientSecret: 'secret-fake' };
  const tokens = new Set<string>();
  const queue: AzureScript[] = [];
  const requests: AzureRequest[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readJsonBody(req);
    if (req.method === 'POST' && url.pathname === `/${entra.tenantId}/oauth2/v2.0/token`) {
      const form = new URLSearchParams(typeof body === 'string' ? body : '');
      const ok =
        form.get('grant_type') === 'client_credentials' &&
        form.get('client_id') === entra.clientId &&
        form.get('client_secret') === entra.clientSecret &&
        form.get('scope') === 'https://cognitiveservices.azure.com/.default';
      if (!ok)
        return send(res, 401, {
          error: 'invalid_client',
          error_description: 'AADSTS7000215: Invalid client secret provided.',
        });
      const token = `eyJfake.${tokens.size + 1}`;
      tokens.add(token);
      return send(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
    }
    const match = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/.exec(url.pathname);
    const recorded: AzureRequest = {
      method: req.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      apiVersion: url.searchParams.get('api-version'),
      deployment: match?.[1],
      headers: req.headers,
      body,
    };
    requests.push(recorded);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (req.headers['api-key'] !== apiKey && (bearer === undefined || !tokens.has(bearer))) {
      return send(res, 401, {
        error: {
          code: '401',
          message:
            'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
        },
      });
    }
    if (match === null || req.method !== 'POST' || !apiVersions.includes(recorded.apiVersion ?? '')) {
      return send(res, 404, { error: { code: '404', message: 'Resource not found' } });
    }
    if (!deployments.includes(match[1] ?? '')) {
      return send(res, 404, {
        error: {
          code: 'DeploymentNotFound',
          message:
            'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
        },
      });
    }
    if (match[2] === 'embeddings') return send(res, 200, embeddingsBody(body));
    const chat = (body ?? {}) as { stream?: unknown; stream_options?: { include_usage?: unknown } };
    const text = lastUserText(body);
    const script =
      queue.shift() ?? (chat.stream === true ? azureReply.stream(azureChunks(text)) : azureReply.text(text));
    if (script.kind === 'json') return send(res, script.status, script.body, script.headers);
    const frames = [...script.chunks];
    if (chat.stream_options?.include_usage === true) {
      frames.push({
        id: 'chatcmpl-azure1',
        object: 'chat.completion.chunk',
        created: CREATED,
        model: MODEL,
        choices: [],
        usage: azureUsage(11, 4),
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    res.flushHeaders();
    await writeSse(res, [...frames.map((frame) => sseFrame(JSON.stringify(frame))), sseFrame('[DONE]')], {
      split: { seed: 3, maxPieceBytes: 24 },
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    entra,
    enqueue: (...scripts) => void queue.push(...scripts),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
