import type { ResponseInputItem, ResponseOutputItem } from 'openai/resources/responses/responses';

/**
 * OpenAI's hosted web search as the Responses API answers it (docs: tools, web search): a `web_search_call` item
 * (action `search` with its query), then the assistant message whose output_text carries a `url_citation`
 * annotation over the cited words. fake-openai-responses.ts answers a request offering a web_search tool with these
 * and streams them with the documented events (output_item.added, response.web_search_call.in_progress / searching /
 * completed, output_item.done; response.output_text.annotation.added after the text's deltas).
 */
export const WEB_QUERY = 'llm gateway news';
export const WEB_SOURCE = { url: 'https://example.com/gateways', title: 'Gateways today' };
export const WEB_BEFORE = 'Today ';
export const WEB_CITED = 'gateways route requests';
export const WEB_TEXT = `${WEB_BEFORE}${WEB_CITED}.`;

const WEB_SEARCH = new Set([
  'web_search',
  'web_search_2025_08_26',
  'web_search_preview',
  'web_search_preview_2025_03_11',
]);

/** Whether a /v1/responses request body offers a web search tool. */
export const offersWebSearch = (tools: unknown): boolean =>
  Array.isArray(tools) &&
  tools.some((tool: unknown) => WEB_SEARCH.has(String((tool as { type?: unknown } | null)?.type)));

let ids = 0;
const ownId = (prefix: string): string => `${prefix}_web${(++ids).toString(36).padStart(8, '0')}`;

/** The output of a web-searched answer: the search, then the message citing what it found. */
export function webSearchOutput(id: (prefix: string) => string = ownId): ResponseOutputItem[] {
  return [
    { id: id('ws'), type: 'web_search_call', status: 'completed', action: { type: 'search', query: WEB_QUERY } },
    {
      id: id('msg'),
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [
        {
          type: 'output_text',
          text: WEB_TEXT,
          logprobs: [],
          annotations: [
            {
              type: 'url_citation',
              start_index: WEB_BEFORE.length,
              end_index: WEB_BEFORE.length + WEB_CITED.length,
              ...WEB_SOURCE,
            },
          ],
        },
      ],
    },
  ];
}

/** An earlier turn's web search as Codex replays it in the input, then the answer, then the next question. */
export const priorSearch = {
  type: 'web_search_call',
  id: 'ws_prior1',
  status: 'completed',
  action: { type: 'search', query: WEB_QUERY },
} as const;
export const replayedInput: ResponseInputItem[] = [
  { role: 'user', content: 'News?' },
  priorSearch,
  { role: 'assistant', content: WEB_TEXT },
  { role: 'user', content: 'More?' },
];
