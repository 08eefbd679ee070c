import type { ResponsesRequest } from '../../api/responses-schemas.js';
import { meterUsage, producedOf } from '../../usage/estimate.js';
import type { ChatEncoding } from '../chat-encoding.js';
import { ledgerIdOf, RESPONSE_ID_PREFIX } from './response-ids.js';
import {
  incompleteOf,
  outputOf,
  responseObject,
  revealsReasoning,
  hideEncrypted,
  type ResponseObject,
} from './response-object.js';
import { ResponsesStreamEncoder } from './responses-event-stream.js';
import { revealsSources } from './responses-hosted-items.js';
import type { Toolset } from './responses-toolset.js';

/**
 * OpenAI's Responses format for the chat service's answers (/v1/responses): a Response, or its SSE events, for the
 * one request it was made for (`request` is echoed in the answer; `toolset` maps its tool calls back to the client's
 * tools). `keep` receives the finished Response once its
 * books are closed — the stored-responses hook; a request with `store: false` passes none. Usage is always present:
 * the provider's, or the gateway's estimate, as the ledger records it. Reasoning items carry their encrypted_content to
 * the client when its `include` asks for it, and always into the store (a later turn carries them back).
 */
export function responsesEncoding(
  request: ResponsesRequest,
  toolset: Toolset,
  keep: ((response: ResponseObject) => Promise<void>) | undefined,
): ChatEncoding {
  let built: ResponseObject | undefined;
  return {
    idPrefix: RESPONSE_ID_PREFIX,
    body: (result, canonical, meta) => {
      built = responseObject(request, meta, {
        status: incompleteOf(result.finishReason) === null ? 'completed' : 'incomplete',
        output: outputOf(result, ledgerIdOf(meta.id) ?? meta.id, toolset, true, revealsSources(request.include)),
        usage: meterUsage(result.usage, canonical, producedOf(result)).usage,
        finish: result.finishReason,
      });
      return revealsReasoning(request) ? built : { ...built, output: built.output.map(hideEncrypted) };
    },
    stream: (canonical, meta) =>
      new ResponsesStreamEncoder(request, toolset, canonical, meta, async (response) => {
        await keep?.(response);
      }),
    keep: async () => {
      if (built !== undefined) await keep?.(built);
    },
  };
}
