import type { Response } from 'openai/resources/responses/responses';
import { toResponsesRequest } from '../../../lambdas/providers/openai/responses-request.js';
import { toResponsesResult } from '../../../lambdas/providers/openai/responses-result.js';

// The native lane with hosted tools: passed to OpenAI unchanged (forced by type), their items back as they came,
// url_citation annotations as citations over the whole text, web_search_call items counted in the usage.

it('hosted tools go upstream unchanged after the function tools; a forced one is the tool_choice', () => {
  const body = toResponsesRequest(
    {
      model: 'm',
      messages: [{ role: 'user', content: 'news?' }],
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
    },
    'gpt-5',
    { dropped: [] },
    {
      format: 'responses',
      tools: [{ type: 'web_search', spec: { type: 'web_search', search_context_size: 'low' }, required: true }],
      forced: 'web_search',
    },
  );
  expect(body.tools).toEqual([
    { type: 'function', name: 'f', parameters: { type: 'object' } },
    { type: 'web_search', search_context_size: 'low' },
  ]);
  expect(body.tool_choice).toEqual({ type: 'web_search' });
});

it('web_search_call items come back as they came, placed by the text; annotations become citations', () => {
  const item = { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'q' } };
  const response = {
    status: 'completed',
    output: [
      item,
      {
        type: 'message',
        id: 'msg_1',
        role: 'assistant',
        status: 'completed',
        content: [
          {
            type: 'output_text',
            text: 'Gateways route requests.',
            annotations: [{ type: 'url_citation', start_index: 9, end_index: 23, url: 'https://e.com', title: 'E' }],
            logprobs: [],
          },
        ],
      },
    ],
    usage: { input_tokens: 10, output_tokens: 5, input_tokens_details: { cached_tokens: 0 } },
  } as unknown as Response;
  const result = toResponsesResult(response, 'openai');
  expect(result.hosted).toEqual([{ at: 0, id: 'ws_1', tool: 'web_search', openai: item }]);
  expect(result.citations).toEqual([{ start: 9, end: 23, url: 'https://e.com', title: 'E' }]);
  expect(result.usage?.webSearches).toBe(1);
});
