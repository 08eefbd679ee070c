import { chatRequestSchema, type ChatRequest } from '../api/chat-schemas.js';
import { countTokensRequestSchema } from '../api/count-tokens-schemas.js';
import { embeddingsRequestSchema } from '../api/embeddings-schemas.js';
import { serveEmbeddings } from '../embeddings/embed-service.js';
import { messagesRequestSchema } from '../api/messages-schemas.js';
import { STREAMING_FUNCTIONS } from '../api/routes.js';
import type { ChatEncoding } from '../formats/chat-encoding.js';
import { openAIEncoding } from '../formats/openai-chat/openai-encoding.js';
import { countTokens } from '../chat/count-tokens.js';
import { modelList, retrieveModel } from '../chat/models.js';
import { serveChat } from '../chat/service.js';
import { requireConfig } from '../config/load.js';
import { header, json } from '../core/http.js';
import { IDEMPOTENCY_HEADER } from '../idempotency/idempotency-key.js';
import { withIdempotency } from '../chat/idempotent.js';
import { anthropicBetas } from '../formats/anthropic-messages/anthropic-beta.js';
import { anthropicEncoding } from '../formats/anthropic-messages/anthropic-encoding.js';
import { toChatRequest } from '../formats/anthropic-messages/messages-request.js';
import { bodyOf, gatewayFunction, principalOfRequest } from '../runtime/gateway-function.js';
import type { GatewayRequest, RouteHandler } from '../runtime/types.js';

/**
 * A chat route: its body as the canonical request, served by the one chat service, answered in its format; `betas`:
 * the request's beta tokens for Anthropic targets (Anthropic-format routes).
 */
const chatRoute =
  (
    canonical: (request: GatewayRequest) => ChatRequest,
    encoding: ChatEncoding,
    betas: (request: GatewayRequest) => string[] = () => [],
  ): RouteHandler =>
  async (request) => {
    const principal = principalOfRequest(request);
    const serve = () => serveChat(request, requireConfig(), principal, canonical(request), encoding, betas(request));
    const key = header(request.event, IDEMPOTENCY_HEADER);
    return key === undefined ? serve() : withIdempotency(request, principal, key, serve);
  };

const chat = chatRoute((request) => bodyOf(request, chatRequestSchema), openAIEncoding);

/**
 * The chat function: chat completions (JSON or SSE, one handler for both paths), Anthropic-format messages (the same
 * service, translated in and out) and their token count, embeddings (lambdas/embeddings) and the key's model
 * list.
 */
export const handler = gatewayFunction(
  {
    'POST /v1/chat/completions': chat,
    'POST /v1/chat': chat,
    'POST /v1/messages': chatRoute(
      (request) => toChatRequest(bodyOf(request, messagesRequestSchema)),
      anthropicEncoding,
      (request) => anthropicBetas(request.event),
    ),
    'POST /v1/messages/count_tokens': async (request) =>
      countTokens(
        request,
        requireConfig(),
        principalOfRequest(request),
        toChatRequest(bodyOf(request, countTokensRequestSchema)),
      ),
    'POST /v1/embeddings': async (request) => {
      const principal = principalOfRequest(request);
      const serve = () =>
        serveEmbeddings(request, requireConfig(), principal, bodyOf(request, embeddingsRequestSchema));
      const key = header(request.event, IDEMPOTENCY_HEADER);
      return key === undefined ? serve() : withIdempotency(request, principal, key, serve);
    },
    'GET /v1/models': async (request) => json(200, modelList(requireConfig(), principalOfRequest(request))),
    'GET /v1/models/{model}': async (request) =>
      json(200, retrieveModel(requireConfig(), principalOfRequest(request), request.event.pathParameters?.model ?? '')),
  },
  { streaming: STREAMING_FUNCTIONS.has('chat') },
);
