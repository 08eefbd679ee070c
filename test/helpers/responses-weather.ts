import * as fakeOpenAI from '../fakes/fake-openai.js';
import { functionCallItem, messageItem, responseBody, responsesReply } from '../fakes/fake-openai-responses.js';
import { list, openAIModel, record } from './agent-loop.js';

/**
 * agent-loop.ts's scripted weather model on the Responses API (an OpenAI target's native lane for /v1/responses):
 * asked about the weather, two parallel function_call items; given function_call_output items, the answer from them,
 * naming each result by the city of the call its call_id belongs to. Chat completions requests go to openAIModel.
 */
const cityOf = (args: unknown): string => String(record(JSON.parse(String(args))).city ?? '?');

export function weatherModel(request: fakeOpenAI.RecordedRequest): fakeOpenAI.Script {
  if (!request.path.startsWith('/v1/responses')) return openAIModel(request);
  const body = record(request.body);
  const items = list(body.input).map(record);
  const asked = items.findLastIndex((item) => item.role === 'user');
  const results = items.slice(asked + 1).filter((item) => item.type === 'function_call_output');
  const answer = (output: Parameters<typeof responseBody>[0]) =>
    body.stream === true ? responsesReply.stream(responseBody(output)) : responsesReply.json(responseBody(output));
  if (results.length === 0) {
    const calls = ['Paris', 'Tokyo'].map((city) =>
      functionCallItem({ id: `call_${city.toLowerCase()}`, name: 'get_weather', arguments: JSON.stringify({ city }) }),
    );
    return answer(calls);
  }
  const calls = items.filter((item) => item.type === 'function_call');
  const text = results
    .map((result) => {
      const call = calls.find((c) => c.call_id === result.call_id);
      return `${call === undefined ? 'unknown call' : cityOf(call.arguments)}: ${String(result.output)}`;
    })
    .join('; ');
  return answer([messageItem(text)]);
}
