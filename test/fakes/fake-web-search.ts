import type { ContentBlock, Message } from '@anthropic-ai/sdk/resources/messages';
import { events, message, usage, type SseEvent } from './fake-anthropic.js';

/**
 * Anthropic's web search server tool as its API answers (docs: server tools, web search): text, a `server_tool_use`
 * (its query), the `web_search_tool_result` (results with url, title, encrypted_content), then text blocks, the cited
 * one with its `web_search_result_location` citation; usage with `server_tool_use.web_search_requests`. As a Message
 * and as the SSE events (the use's input in input_json_delta, the citation in a citations_delta before the text).
 */
export const QUERY = 'llm gateway news';
export const SOURCE = { url: 'https://example.com/gateways', title: 'Gateways today' };
export const CITED = 'gateways route requests';
const citation = {
  type: 'web_search_result_location',
  url: SOURCE.url,
  title: SOURCE.title,
  encrypted_index: 'EqgfCioIARgBIiQ',
  cited_text: CITED,
};
const use = {
  type: 'server_tool_use',
  id: 'srvtoolu_01WYG3ziw53XMcoyKL4XcZmE',
  name: 'web_search',
  input: { query: QUERY },
  caller: { type: 'direct' },
};
const result = {
  type: 'web_search_tool_result',
  tool_use_id: use.id,
  caller: { type: 'direct' },
  content: [{ type: 'web_search_result', ...SOURCE, encrypted_content: 'EqcCCioIARgBIiQ3', page_age: null }],
};
export const BEFORE = "I'll search. ";
export const AFTER = 'Today ';
export const TAIL = '.';
export const ANSWER_TEXT = BEFORE + AFTER + CITED + TAIL;

export const searchUsage = (searches = 1) => ({
  ...usage({ input: 100, output: 20 }),
  server_tool_use: { web_search_requests: searches, web_fetch_requests: 0 },
});

export const webSearchBlocks = (): ContentBlock[] =>
  [
    { type: 'text', text: BEFORE, citations: null },
    use,
    result,
    { type: 'text', text: AFTER, citations: null },
    { type: 'text', text: CITED, citations: [citation] },
    { type: 'text', text: TAIL, citations: null },
  ] as unknown as ContentBlock[];

export const webSearchMessage = (): Message => message(webSearchBlocks(), { usage: searchUsage() });

const ev = (data: Record<string, unknown>): SseEvent => ({ event: String(data.type), data }) as unknown as SseEvent;
const textBlock = (index: number, text: string, cite = false): SseEvent[] => [
  ev({
    type: 'content_block_start',
    index,
    content_block: { type: 'text', text: '', ...(cite ? { citations: [] } : {}) },
  }),
  ...(cite ? [ev({ type: 'content_block_delta', index, delta: { type: 'citations_delta', citation } })] : []),
  ev({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } }),
  events.blockStop(index),
];

export const webSearchEvents = (): SseEvent[] => [
  events.messageStart({ usage: usage({ input: 100, output: 1 }) }),
  ...textBlock(0, BEFORE),
  ev({ type: 'content_block_start', index: 1, content_block: { ...use, input: {} } }),
  ev({
    type: 'content_block_delta',
    index: 1,
    delta: { type: 'input_json_delta', partial_json: JSON.stringify(use.input) },
  }),
  events.blockStop(1),
  ev({ type: 'content_block_start', index: 2, content_block: result }),
  events.blockStop(2),
  ...textBlock(3, AFTER),
  ...textBlock(4, CITED, true),
  ...textBlock(5, TAIL),
  ev({
    type: 'message_delta',
    delta: { stop_reason: 'end_turn', stop_sequence: null, stop_details: null, container: null },
    usage: {
      input_tokens: 100,
      output_tokens: 20,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      server_tool_use: { web_search_requests: 1, web_fetch_requests: 0 },
    },
  }),
  events.messageStop(),
];
