import type { ChatRequest } from '../../api/chat-schemas.js';
import type { ResolvedItem } from '../../api/responses-input-schemas.js';
import type { ResponsesRequest } from '../../api/responses-schemas.js';
import { badRequest } from '../../core/errors.js';
import type { HostedTools } from '../../providers/hosted-tools.js';
import type { ReplayedItem } from '../../providers/native-responses.js';
import { forcedHosted, hostedOf } from './responses-hosted.js';
import { toChatMessages } from './responses-input.js';
import { toolsetOf, type Toolset } from './responses-toolset.js';

/**
 * A validated /v1/responses request, with its conversation (the stored one of previous_response_id, then its own input,
 * item references resolved) → the canonical ChatRequest the chat service routes on every target, and the fields
 * dropped on the way (named in X-Gateway-Ignored):
 *   instructions → a leading system message · function, custom and namespace tools → tools (responses-toolset.ts),
 *   those of `additional_tools` input items too ·
 *   tool_choice (a function or custom tool, by name), parallel_tool_calls (with tools)
 *   text.format json_schema / json_object → response_format · text.verbosity → verbosity · max_output_tokens →
 *   max_completion_tokens · reasoning.effort → reasoning_effort · reasoning input items → thinking_blocks (dropped and
 *   named input[].reasoning when they carry nothing) · temperature, top_p, user, safety_identifier,
 *   prompt_cache_key, prompt_cache_retention, service_tier, stream as they are.
 *   Dropped and named: reasoning.summary, include[…] (but reasoning.encrypted_content, which the answer honours),
 *   truncation "auto", max_tool_calls, top_logprobs, stream_options.include_obfuscation, client_metadata,
 *   tools[].defer_loading (and OpenAI's other tool-runtime hints).
 *   Hosted tools (web_search, tool_search…) and a tool_choice forcing one of them (responses-hosted.ts): run by the
 *   targets that have them, dropped and named as tools[<type>] by the others when offered (chat/hosted-gate.ts).
 *   Kept by the gateway, not sent: store, metadata, previous_response_id (the Response echoes them).
 *   Refused with a reason: a tool_choice naming a tool not in tools, background: true,
 *   conversation, prompt.
 */
export interface TranslatedRequest {
  readonly chat: ChatRequest;
  readonly ignored: readonly string[];
  /** The request's tools as offered upstream, and the way back for the answer's calls. */
  readonly toolset: Toolset;
  /** The hosted tools (web_search…), offered or forced: which targets run them is the chat service's call. */
  readonly hosted: HostedTools;
  /** Hosted tools' earlier items in the conversation, where they stood (an OpenAI target replays them). */
  readonly replayed: readonly ReplayedItem[];
}

function refuse(param: string, message: string): never {
  throw badRequest(message, 'unsupported_parameter', param);
}

/** The canonical tool a tool_choice of `type` ("function" or "custom") names: its own name, or the one tool of a
 * namespace by that name, or a qualified name as the canonical request has it. */
function chosenTool(toolset: Toolset, type: 'function' | 'custom', name: string): string | undefined {
  const matches = toolset.tools
    .map((tool) => tool.function.name)
    .filter((canonical) => {
      const entry = toolset.entryOf(canonical);
      return entry?.kind === type && (canonical === name || entry.name === name);
    });
  return matches.includes(name) ? name : matches.length === 1 ? matches[0] : undefined;
}

function toolChoiceOf(request: ResponsesRequest, toolset: Toolset): ChatRequest['tool_choice'] {
  const choice = request.tool_choice;
  if (choice === undefined) return undefined;
  if (typeof choice === 'string') return toolset.tools.length === 0 ? undefined : choice;
  if ((choice.type === 'function' || choice.type === 'custom') && 'name' in choice && typeof choice.name === 'string') {
    const name = chosenTool(toolset, choice.type, choice.name);
    if (name === undefined)
      refuse('tool_choice.name', `tool_choice names the ${choice.type} tool "${choice.name}", which is not in tools.`);
    return { type: 'function', function: { name } };
  }
  // A hosted tool of the request forced by its type: the targets that run it get the choice (ProviderCall.hosted).
  if (forcedHosted(request) !== undefined) return undefined;
  return refuse('tool_choice', `A tool_choice of type "${choice.type}" names a tool this gateway does not offer.`);
}

function responseFormatOf(request: ResponsesRequest): ChatRequest['response_format'] {
  const format = request.text?.format;
  if (format === undefined || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  return {
    type: 'json_schema',
    json_schema: {
      name: format.name,
      schema: format.schema,
      ...(format.description === undefined ? {} : { description: format.description }),
      ...(format.strict == null ? {} : { strict: format.strict }),
    },
  };
}

function refusals(request: ResponsesRequest): void {
  if (request.background === true)
    refuse('background', 'Background responses are not offered here: send the request and wait, or stream it.');
  if (request.conversation != null)
    refuse('conversation', 'Conversations are not offered here: continue with previous_response_id.');
  if (request.prompt != null) refuse('prompt', 'Stored prompt templates are not offered here: send the input itself.');
}

function droppedFields(request: ResponsesRequest): string[] {
  const ignored: string[] = [];
  if (request.reasoning?.summary != null || request.reasoning?.generate_summary != null)
    ignored.push('reasoning.summary');
  // reasoning.encrypted_content is honoured: reasoning items carry it (reasoning-items.ts).
  // web_search_call.action.sources is honoured wherever a web search runs (OpenAI, Anthropic targets).
  for (const value of request.include ?? [])
    if (value !== 'reasoning.encrypted_content' && value !== 'web_search_call.action.sources')
      ignored.push(`include[${value}]`);
  if (request.truncation === 'auto') ignored.push('truncation');
  if (request.max_tool_calls != null) ignored.push('max_tool_calls');
  if (request.top_logprobs != null && request.top_logprobs > 0) ignored.push('top_logprobs');
  if (request.stream_options?.include_obfuscation === true) ignored.push('stream_options.include_obfuscation');
  if (request.client_metadata != null) ignored.push('client_metadata');
  return ignored;
}

/** The request's tools, then those of the conversation's `additional_tools` items (Codex, with model names it knows). */
function offeredTools(request: ResponsesRequest, conversation: readonly ResolvedItem[]): ResponsesRequest['tools'] {
  const added = conversation.flatMap((item) => (item.type === 'additional_tools' ? item.tools : []));
  return added.length === 0 ? request.tools : [...(request.tools ?? []), ...added];
}

export function toChatRequest(asked: ResponsesRequest, conversation: readonly ResolvedItem[]): TranslatedRequest {
  const tools = offeredTools(asked, conversation);
  const request: ResponsesRequest = tools === asked.tools ? asked : { ...asked, tools };
  refusals(request);
  const ignored = droppedFields(request);
  const toolset = toolsetOf(request.tools);
  ignored.push(...toolset.ignored);
  const instructions = request.instructions == null || request.instructions === '' ? [] : [request.instructions];
  const replayed: ReplayedItem[] = [];
  const messages = [
    ...instructions.map((content) => ({ role: 'system' as const, content })),
    ...toChatMessages(conversation, toolset, ignored, 'input', replayed),
  ];
  // Placed among the canonical messages, the instructions' system message included.
  const placed = replayed.map((entry) => ({ ...entry, before: entry.before + instructions.length }));
  if (!messages.some((message) => message.role !== 'system' && message.role !== 'developer'))
    throw badRequest('The conversation needs input: a message or a function_call_output.', 'invalid_messages', 'input');
  const [first, ...rest] = messages;
  const canonicalTools = toolset.tools;
  const toolChoice = toolChoiceOf(request, toolset);
  const format = responseFormatOf(request);
  const effort = request.reasoning?.effort;
  const retention = request.prompt_cache_retention;
  const chat: ChatRequest = {
    model: request.model,
    messages: first === undefined ? [] : [first, ...rest],
    ...(canonicalTools.length === 0 ? {} : { tools: [...canonicalTools] }),
    ...(toolChoice === undefined ? {} : { tool_choice: toolChoice }),
    ...(canonicalTools.length === 0 || request.parallel_tool_calls == null
      ? {}
      : { parallel_tool_calls: request.parallel_tool_calls }),
    ...(format === undefined ? {} : { response_format: format }),
    ...(request.text?.verbosity == null ? {} : { verbosity: request.text.verbosity }),
    ...(request.max_output_tokens == null ? {} : { max_completion_tokens: request.max_output_tokens }),
    ...(request.temperature == null ? {} : { temperature: request.temperature }),
    ...(request.top_p == null ? {} : { top_p: request.top_p }),
    ...(effort == null ? {} : { reasoning_effort: effort }),
    ...(request.user === undefined ? {} : { user: request.user }),
    ...(request.safety_identifier == null ? {} : { safety_identifier: request.safety_identifier }),
    ...(request.prompt_cache_key == null ? {} : { prompt_cache_key: request.prompt_cache_key }),
    ...(retention == null ? {} : { prompt_cache_retention: retention === '24h' ? '24h' : 'in-memory' }),
    ...(request.service_tier == null ? {} : { service_tier: request.service_tier }),
    ...(request.stream == null ? {} : { stream: request.stream }),
  };
  return { chat, ignored, toolset, hosted: hostedOf(request), replayed: placed };
}
