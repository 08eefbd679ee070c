import type {
  ResponseOutputMessage,
  ResponseOutputText,
  ResponseReasoningItem,
  ResponseUsage,
} from 'openai/resources/responses/responses';
import type { ResponsesRequest } from '../../api/responses-schemas.js';
import { isFunctionTool } from '../../api/responses-tool-guards.js';
import type { ChatResult, FinishReason, Usage } from '../../providers/types.js';
import type { AnswerMeta } from '../chat-encoding.js';
import { outputItemId } from './response-ids.js';
import { reasoningOutputItem } from './reasoning-items.js';
import { annotationOf, hostedItem, type HostedOutputItem } from './responses-hosted-items.js';
import { toolCallItem, toolCallKind, type ToolCallItem } from './responses-tool-calls.js';
import type { Toolset } from './responses-toolset.js';

/**
 * The Response object (OpenAI's Responses API), its output items and usage typed against the openai SDK. The request's
 * parameters are echoed as OpenAI echoes them (with its defaults where the client sent none): the SDKs read them back.
 */
export type OutputItem = ResponseOutputMessage | ToolCallItem | ResponseReasoningItem | HostedOutputItem;
export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

export interface ResponseObject {
  readonly id: string;
  readonly object: 'response';
  readonly created_at: number;
  readonly status: ResponseStatus;
  readonly completed_at: number | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly incomplete_details: { readonly reason: 'max_output_tokens' | 'content_filter' } | null;
  readonly model: string;
  readonly output: readonly OutputItem[];
  readonly usage: ResponseUsage | null;
  readonly [echoed: string]: unknown;
}

export function responsesUsage(usage: Usage): ResponseUsage {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens, cache_write_tokens: usage.cacheWriteTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/** A finish the answer ended on: `length` and `content_filter` make the response incomplete. */
export function incompleteOf(finish: FinishReason | undefined): ResponseObject['incomplete_details'] {
  if (finish === 'length') return { reason: 'max_output_tokens' };
  if (finish === 'content_filter') return { reason: 'content_filter' };
  return null;
}

/** The request's parameters as a Response shows them. */
function echo(request: ResponsesRequest): Record<string, unknown> {
  return {
    background: false,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    max_tool_calls: request.max_tool_calls ?? null,
    metadata: request.metadata ?? {},
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    prompt_cache_key: request.prompt_cache_key ?? null,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: request.reasoning?.summary ?? null },
    safety_identifier: request.safety_identifier ?? null,
    service_tier: request.service_tier ?? 'default',
    store: request.store ?? true,
    temperature: request.temperature ?? 1,
    text: { format: request.text?.format ?? { type: 'text' }, verbosity: request.text?.verbosity ?? 'medium' },
    tool_choice: request.tool_choice ?? 'auto',
    tools: (request.tools ?? []).map((tool) =>
      isFunctionTool(tool)
        ? {
            type: 'function',
            name: tool.name,
            description: tool.description ?? null,
            parameters: tool.parameters ?? null,
            strict: tool.strict ?? true,
          }
        : tool,
    ),
    top_logprobs: request.top_logprobs ?? 0,
    top_p: request.top_p ?? 1,
    truncation: request.truncation ?? 'disabled',
    user: request.user ?? null,
  };
}

export function responseObject(
  request: ResponsesRequest,
  meta: AnswerMeta,
  state: {
    status: ResponseStatus;
    output: readonly OutputItem[];
    usage: Usage | undefined;
    finish?: FinishReason | undefined;
    error?: ResponseObject['error'];
  },
): ResponseObject {
  const done = state.status !== 'in_progress';
  return {
    id: meta.id,
    object: 'response',
    created_at: meta.created,
    status: state.status,
    completed_at: state.status === 'completed' ? Math.floor(Date.now() / 1000) : null,
    error: state.error ?? null,
    incomplete_details: done ? incompleteOf(state.finish) : null,
    model: meta.alias,
    output: state.output,
    usage: state.usage === undefined ? null : responsesUsage(state.usage),
    ...echo(request),
  };
}

export const messageItem = (
  id: string,
  text: string | null,
  refusal: string | null,
  status: ResponseOutputMessage['status'],
  annotations: ResponseOutputText['annotations'] = [],
): ResponseOutputMessage => ({
  id,
  type: 'message',
  role: 'assistant',
  status,
  content: [
    ...(text === null ? [] : [{ type: 'output_text' as const, text, annotations, logprobs: [] }]),
    ...(refusal === null ? [] : [{ type: 'refusal' as const, refusal }]),
  ],
});

/**
 * A whole answer's output items, in answer order: the reasoning before any tool call, its message (text, refusal) —
 * split where a provider-hosted tool ran amid the text, the tool's item between the parts (responses-hosted-items.ts),
 * each part with the citations that start in it as annotations —, then one item per tool call (function_call or
 * custom_tool_call: responses-tool-calls.ts), each followed by the reasoning that came after it (Anthropic interleaves
 * thinking → tool_use → thinking → tool_use). `reveal`: reasoning items carry their encrypted_content; `sources`: web
 * searches show their sources.
 */
export function outputOf(
  result: ChatResult,
  ledgerId: string,
  toolset: Toolset,
  reveal: boolean,
  sources = false,
): OutputItem[] {
  const status = incompleteOf(result.finishReason) === null ? 'completed' : 'incomplete';
  const text = result.content ?? '';
  const reasoning = result.reasoning ?? [];
  const calls = result.toolCalls;
  const citations = result.citations ?? [];
  const items: OutputItem[] = [];
  const reasoningAfter = (k: number): void => {
    reasoning.forEach((block, i) => {
      if (Math.min(result.reasoningAfterToolCalls?.[i] ?? 0, calls.length) !== k) return;
      items.push(reasoningOutputItem(outputItemId('reasoning', ledgerId, items.length), block, reveal));
    });
  };
  let base = 0;
  const message = (end: number, last: boolean): void => {
    const part = text.slice(base, end);
    const refusal = last ? result.refusal : null;
    if (part !== '' || refusal !== null) {
      const notes = citations.filter((note) => note.start >= base && (last || note.start < end));
      const annotations = notes.map((note) => annotationOf(note, base));
      const id = outputItemId('message', ledgerId, items.length);
      items.push(messageItem(id, part === '' ? null : part, refusal, status, annotations));
    }
    base = end;
  };
  reasoningAfter(0);
  for (const call of result.hosted ?? []) {
    message(Math.max(base, Math.min(call.at, text.length)), false);
    items.push(hostedItem(call, outputItemId('web_search_call', ledgerId, items.length), sources));
  }
  message(text.length, true);
  calls.forEach((call, k) => {
    items.push(
      toolCallItem(toolset, outputItemId(toolCallKind(toolset, call.name), ledgerId, items.length), call, status),
    );
    reasoningAfter(k + 1);
  });
  return items;
}

/** An output item as a client that did not include reasoning.encrypted_content sees it. */
export function hideEncrypted(item: OutputItem): OutputItem {
  if (item.type !== 'reasoning' || item.encrypted_content == null) return item;
  const { encrypted_content: _hidden, ...shown } = item;
  return shown;
}

/** Whether the request's `include` asks for reasoning items' encrypted_content. */
export const revealsReasoning = (request: Pick<ResponsesRequest, 'include'>): boolean =>
  request.include?.includes('reasoning.encrypted_content') ?? false;
