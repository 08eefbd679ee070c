import { chatRequestSchema } from '../api/chat-schemas.js';
import { STREAMING_FUNCTIONS } from '../api/routes.js';
import { serveChat } from '../chat/service.js';
import { requireConfig } from '../config/load.js';
import { header, json } from '../core/http.js';
import { IDEMPOTENCY_HEADER } from '../idempotency/idempotency-key.js';
import { withIdempotency } from '../chat/idempotent.js';
import { bodyOf, gatewayFunction, principalOfRequest } from '../runtime/gateway-function.js';
import type { GatewayRequest } from '../runtime/types.js';

const chat = async (request: GatewayRequest) => {
  const principal = principalOfRequest(request);
  const serve = () => serveChat(request, requireConfig(), principal, bodyOf(request, chatRequestSchema));
  const key = header(request.event, IDEMPOTENCY_HEADER);
  return key === undefined ? serve() : withIdempotency(request, principal, key, serve);
};

/** The chat function: chat completions (JSON or SSE, one handler for both paths) and the key's model list. */
export const handler = gatewayFunction(
  {
    'POST /v1/chat/completions': chat,
    'POST /v1/chat': chat,
    'GET /v1/models': async (request) => {
      const principal = principalOfRequest(request);
      const aliases = Object.keys(requireConfig().models).filter((alias) => principal.models === null || principal.models.includes(alias));
      return json(200, {
        object: 'list',
        data: aliases.map((id) => ({ id, object: 'model', created: 0, owned_by: 'llm-gateway' })),
      });
    },
  },
  { streaming: STREAMING_FUNCTIONS.has('chat') },
);
