import type {
  Response,
  ResponseOutputItem,
  ResponseOutputText,
  ResponseUsage,
} from 'openai/resources/responses/responses';
import type { Citation, HostedCall } from '../hosted-tools.js';
import { GatewayError, type ErrorCode } from '../../core/errors.js';
import { reportedUsage, tokenCount } from '../../usage/usage-counts.js';
import type { ChatResult, FinishReason, ReasoningBlock, ToolCall, Usage } from '../types.js';

/**
 * A Responses API answer (the native lane) → the canonical result: message items' output_text → content, refusal
 * parts → refusal, function_call items → tool calls (their call_id), reasoning items → `openai_reasoning` blocks (id,
 * summary texts, encrypted_content), with how many tool calls came before each; a hosted tool's items
 * (web_search_call, file_search_call…) → `hosted`, as they came, placed by the text before them; url_citation
 * and file_citation annotations → `citations` over the whole text; web_search_call items counted in the usage (`webSearches`). Status `incomplete` → `length`
 * (max_output_tokens) or `content_filter`; `failed` → the response's error (responseError); any other status is not
 * an answer (upstream_invalid_response, through answerOf). Usage with cached and reasoning tokens.
 */
export function toResponsesUsage(
  usage: ResponseUsage | null | undefined,
  output: readonly ResponseOutputItem[] = [],
): Usage | undefined {
  if (usage == null) return undefined;
  const reasoning = tokenCount(usage.output_tokens_details?.reasoning_tokens);
  const searches = output.filter((item) => item.type === 'web_search_call').length;
  return reportedUsage(
    { input: usage.input_tokens, output: usage.output_tokens, cached: usage.input_tokens_details?.cached_tokens },
    {
      ...(reasoning === undefined ? {} : { reasoningTokens: reasoning }),
      ...(searches === 0 ? {} : { webSearches: searches }),
    },
  );
}

const OWN = new Set(['message', 'function_call', 'reasoning']);

/** An output item a hosted tool made (web_search_call, file_search_call…), `at` the text before it. */
export function hostedCallOf(item: ResponseOutputItem, at: number): HostedCall | undefined {
  if (OWN.has(item.type) || !item.type.endsWith('_call')) return undefined;
  const id = 'id' in item && typeof item.id === 'string' ? item.id : '';
  return { at, id, tool: item.type.slice(0, -'_call'.length), openai: item as unknown as Record<string, unknown> };
}

/**
 * A url_citation or file_citation annotation of a text that starts at `base` in the answer's text, as a citation
 * (a file citation marks one point: its index); other annotations (file_path, container_file_citation) are dropped.
 */
export function citationOf(annotation: ResponseOutputText['annotations'][number], base: number): Citation | undefined {
  if (annotation.type === 'file_citation') {
    const at = base + annotation.index;
    return { start: at, end: at, url: '', title: annotation.filename, openaiFile: { ...annotation } };
  }
  if (annotation.type !== 'url_citation') return undefined;
  const { start_index: start, end_index: end, url, title } = annotation;
  return { start: base + start, end: base + end, url, title };
}

/** The finish of a completed or incomplete response. */
export function finishOf(response: Pick<Response, 'status' | 'incomplete_details'>, toolCalls: boolean): FinishReason {
  if (response.status === 'incomplete') {
    return response.incomplete_details?.reason === 'content_filter' ? 'content_filter' : 'length';
  }
  return toolCalls ? 'tool_calls' : 'stop';
}

const BAD_REQUEST = /^(invalid_|image_|empty_image|unsupported_image|failed_to_download|bio_policy|misalignment)/;

/**
 * A failure the Responses API reports in a 200 (a `failed` response, or a stream's `error` event), by its code, so
 * routing and breakers treat it as they treat the same failure over HTTP: rate limits retry, the request's own
 * faults (invalid prompt or image, a policy) are 400s, the rest (server_error, unknown codes) are the provider's.
 */
export function responseError(
  error: { readonly code?: string | null; readonly message?: string | null } | null | undefined,
  provider: string,
): GatewayError {
  const code = error?.code ?? '';
  const message = typeof error?.message === 'string' ? error.message.slice(0, 2000) : undefined;
  const as = (gatewayCode: ErrorCode, text: string): GatewayError =>
    new GatewayError({ message: text, code: gatewayCode });
  if (code === 'rate_limit_exceeded')
    return as('upstream_rate_limited', `Provider ${provider} is rate limiting requests; retry later.`);
  if (code === 'vector_store_timeout') return as('upstream_timeout', `Provider ${provider} timed out.`);
  if (BAD_REQUEST.test(code))
    return as('upstream_bad_request', message ?? `Provider ${provider} rejected the request.`);
  return as('upstream_error', `Provider ${provider} failed (${code === '' ? 'no code' : code.slice(0, 64)}).`);
}

export function toResponsesResult(response: Response, provider: string): ChatResult {
  if (response.status === 'failed') throw responseError(response.error, provider);
  if (response.status !== 'completed' && response.status !== 'incomplete') {
    throw new TypeError(`not a finished response (status ${String(response.status)})`);
  }
  let text: string | null = null;
  let refusal: string | null = null;
  const toolCalls: ToolCall[] = [];
  const reasoning: ReasoningBlock[] = [];
  const after: number[] = [];
  const hosted: HostedCall[] = [];
  const citations: Citation[] = [];
  for (const item of response.output) {
    const call = hostedCallOf(item, text?.length ?? 0);
    if (call !== undefined) hosted.push(call);
    if (item.type === 'message') {
      for (const part of item.content) {
        if (part.type === 'refusal') {
          refusal = (refusal ?? '') + part.refusal;
          continue;
        }
        const base = text?.length ?? 0;
        for (const note of part.annotations) {
          const citation = citationOf(note, base);
          if (citation !== undefined) citations.push(citation);
        }
        text = (text ?? '') + part.text;
      }
    } else if (item.type === 'function_call') {
      toolCalls.push({ id: item.call_id, name: item.name, arguments: item.arguments });
    } else if (item.type === 'reasoning') {
      reasoning.push({
        type: 'openai_reasoning',
        id: item.id,
        summary: item.summary.map((part) => part.text),
        ...(item.encrypted_content == null ? {} : { encrypted_content: item.encrypted_content }),
      });
      after.push(toolCalls.length);
    }
  }
  return {
    content: text,
    refusal,
    toolCalls,
    finishReason: finishOf(response, toolCalls.length > 0),
    usage: toResponsesUsage(response.usage, response.output),
    ...(reasoning.length === 0 ? {} : { reasoning }),
    ...(after.some((count) => count > 0) ? { reasoningAfterToolCalls: after } : {}),
    ...(hosted.length === 0 ? {} : { hosted }),
    ...(citations.length === 0 ? {} : { citations }),
  };
}
