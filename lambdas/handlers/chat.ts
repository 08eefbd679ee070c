import { gatewayConfig } from '../config/load.js';
import { serviceUnavailable } from '../core/errors.js';
import { json } from '../core/http.js';
import { gatewayFunction, principalOfRequest } from '../runtime/gateway-function.js';

/** The chat function. For now it lists the aliases a key may use; chat completions join it next. */
export const handler = gatewayFunction({
  'GET /v1/models': async (request) => {
    const loaded = gatewayConfig();
    if (!loaded.ok) throw serviceUnavailable('The gateway configuration is invalid; see /health/ready.', 'config_invalid');
    const principal = principalOfRequest(request);
    const aliases = Object.keys(loaded.config.models).filter((alias) => principal.models === null || principal.models.includes(alias));
    return json(200, {
      object: 'list',
      data: aliases.map((id) => ({ id, object: 'model', created: 0, owned_by: 'llm-gateway' })),
    });
  },
});
