import type OpenAI from 'openai';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { answerOf, isAbort, toGatewayError } from '../upstream-error.js';
import type { ChatResult, ProviderCall, StreamPart } from '../types.js';
import { toResponsesRequest } from './responses-request.js';
import { toResponsesResult } from './responses-result.js';
import { toResponsesStreamParts } from './responses-stream-parts.js';
import { connectionWatch } from '../../transport/connect-watch.js';

/**
 * The native lane of an OpenAI target: `client.responses.create` (JSON or stream) with the canonical request mapped to
 * the Responses API (responses-request.ts) and the answer mapped back (responses-result.ts, responses-stream-parts.ts),
 * so reasoning items, their encrypted content and the reasoning token count survive. Failures before the answer go
 * through upstream-error.ts, as on the chat lane.
 */
export async function completeNative(client: OpenAI, provider: string, call: ProviderCall): Promise<ChatResult> {
  let response: Response;
  try {
    response = await client.responses.create(
      { ...toResponsesRequest(call.request, call.model, call.native, call.hosted), stream: false },
      {
        signal: call.signal,
        headers: { 'X-Request-Id': call.requestId },
        fetchOptions: connectionWatch(call.onConnectionOpen),
      },
    );
  } catch (err) {
    if (isAbort(err)) throw err;
    throw toGatewayError(err, provider);
  }
  return answerOf(response, (body) => toResponsesResult(body, provider), provider);
}

export async function streamNative(
  client: OpenAI,
  provider: string,
  call: ProviderCall,
): Promise<AsyncIterable<StreamPart>> {
  let events: AsyncIterable<ResponseStreamEvent>;
  try {
    events = await client.responses.create(
      { ...toResponsesRequest(call.request, call.model, call.native, call.hosted), stream: true },
      { signal: call.signal, headers: { 'X-Request-Id': call.requestId } },
    );
  } catch (err) {
    if (isAbort(err)) throw err;
    throw toGatewayError(err, provider);
  }
  return toResponsesStreamParts(events, provider);
}
