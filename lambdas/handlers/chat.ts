// Type-only: the schemas (zod) load on a route's first request (middleware/json-body.ts), not at init.
import type { chatRequestSchema, ChatRequest } from '../api/chat-schemas.js';
import type { countTokensRequestSchema } from '../api/count-tokens-schemas.js';
import type { embeddingsRequestSchema } from '../api/embeddings-schemas.js';
import type { messagesRequestSchema } from '../api/messages-schemas.js';
import type { inputItemsQuerySchema, responsesRequestSchema } from '../api/responses-schemas.js';
import { STREAMING_FUNCTIONS } from '../api/route-table.js';
import type { Principal } from '../auth/principal.js';
import { countTokens } from '../chat/count-tokens.js';
import { withIdempotency } from '../chat/idempotent.js';
import { modelList, retrieveModel } from '../chat/models.js';
import { serveChat } from '../chat/service.js';
import { requireConfig } from '../config/current.js';
import type { GatewayConfig } from '../config/schema.js';
import { providerKeySource, type ProviderKeys } from '../secrets/provider-keys.js';
import { header, json } from '../core/http.js';
import { serveEmbeddings } from '../embeddings/embed-service.js';
import { anthropicBetas } from '../formats/anthropic-messages/anthropic-beta.js';
import { anthropicEncoding } from '../formats/anthropic-messages/anthropic-encoding.js';
import { hostedOfMessages } from '../formats/anthropic-messages/messages-hosted.js';
import { toChatRequest } from '../formats/anthropic-messages/messages-request.js';
import type { ChatEncoding } from '../formats/chat-encoding.js';
import { openAIEncoding } from '../formats/openai-chat/openai-encoding.js';
import { IDEMPOTENCY_HEADER } from '../idempotency/idempotency-key.js';
import { createResponse } from '../responses/responses-service.js';
import { deleteResponse, listInputItems, retrieveResponse } from '../responses/responses-reads.js';
import { inLambda, warmUp } from '../runtime/init-warmup.js';
import { lazyRouteSchemas } from '../runtime/lazy-route-schemas.js';
import { warmStoreClient } from '../store/client-warm.js';
import { bodyOf, gatewayFunction, principalOfRequest, queryOf } from '../runtime/gateway-function.js';
import type { GatewayRequest, GatewayResult, RouteHandler } from '../runtime/types.js';

/**
 * In Lambda, at init (top-level await: the init phase has a full core): the provider-key secret read and the
 * DynamoDB client's first call — what every first request would otherwise pay (docs/PERFORMANCE.md, cold start). The
 * X-Ray tracer loads nothing (observability/upstream-tracer.ts): no step for it.
 */
if (inLambda()) {
  await warmUp([async () => providerKeySource(requireConfig()).keys(), warmStoreClient]);
}

/** The provider keys for marking aliases in /v1/models; a list without the marks when the secret cannot be read. */
const keysIfReadable = (config: GatewayConfig): Promise<ProviderKeys | undefined> =>
  providerKeySource(config)
    .keys()
    .catch(() => undefined);

/** A route served under the request's Idempotency-Key when it has one. */
const idempotentRoute =
  (serve: (request: GatewayRequest, principal: Principal) => Promise<GatewayResult>): RouteHandler =>
  async (request) => {
    const principal = principalOfRequest(request);
    const key = header(request.event, IDEMPOTENCY_HEADER);
    return key === undefined
      ? serve(request, principal)
      : withIdempotency(request, principal, key, () => serve(request, principal));
  };

/**
 * A chat route: its body as the canonical request, served by the one chat service, answered in its format; `betas`:
 * the request's beta tokens for Anthropic targets (Anthropic-format routes).
 */
const chatRoute = (
  canonical: (request: GatewayRequest) => ChatRequest,
  encoding: ChatEncoding,
  betas: (request: GatewayRequest) => string[] = () => [],
): RouteHandler =>
  idempotentRoute((request, principal) =>
    serveChat(request, requireConfig(), principal, canonical(request), encoding, betas(request)),
  );

const responseId = (request: GatewayRequest): string => request.event.pathParameters?.id ?? '';

const chat = chatRoute((request) => bodyOf<typeof chatRequestSchema>(request), openAIEncoding);

/**
 * The chat function: chat completions (JSON or SSE, one handler for both paths), Anthropic-format messages and their
 * token count, OpenAI Responses (the same service, translated in and out; stored responses read and deleted),
 * embeddings (lambdas/embeddings) and the key's model list.
 */
export const handler = gatewayFunction(
  {
    'POST /v1/chat/completions': chat,
    'POST /v1/chat': chat,
    'POST /v1/messages': idempotentRoute((request, principal) => {
      const body = bodyOf<typeof messagesRequestSchema>(request);
      const { event } = request;
      const hosted = hostedOfMessages(body);
      const canonical = toChatRequest(body);
      const config = requireConfig();
      return serveChat(
        request,
        config,
        principal,
        canonical,
        anthropicEncoding,
        anthropicBetas(event),
        undefined,
        hosted,
      );
    }),
    'POST /v1/messages/count_tokens': async (request) =>
      countTokens(
        request,
        requireConfig(),
        principalOfRequest(request),
        toChatRequest(bodyOf<typeof countTokensRequestSchema>(request)),
      ),
    'POST /v1/responses': idempotentRoute((request, principal) =>
      createResponse(request, requireConfig(), principal, bodyOf<typeof responsesRequestSchema>(request)),
    ),
    'GET /v1/responses/{id}': async (request) =>
      json(200, await retrieveResponse(principalOfRequest(request), responseId(request))),
    'DELETE /v1/responses/{id}': async (request) =>
      json(200, await deleteResponse(principalOfRequest(request), responseId(request))),
    'GET /v1/responses/{id}/input_items': async (request) =>
      json(
        200,
        await listInputItems(
          principalOfRequest(request),
          responseId(request),
          queryOf<typeof inputItemsQuerySchema>(request),
        ),
      ),
    'POST /v1/embeddings': idempotentRoute((request, principal) =>
      serveEmbeddings(request, requireConfig(), principal, bodyOf<typeof embeddingsRequestSchema>(request)),
    ),
    'GET /v1/models': async (request) => {
      const config = requireConfig();
      return json(200, modelList(config, principalOfRequest(request), await keysIfReadable(config)));
    },
    'GET /v1/models/{model}': async (request) => {
      const config = requireConfig();
      const id = request.event.pathParameters?.model ?? '';
      return json(200, retrieveModel(config, principalOfRequest(request), id, await keysIfReadable(config)));
    },
  },
  { streaming: STREAMING_FUNCTIONS.has('chat'), schemas: lazyRouteSchemas },
);
