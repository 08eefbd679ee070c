import { GatewayLogger } from './gateway-logger.js';
import { GatewayLogFormatter } from './log-formatter.js';

/**
 * The process's root logger (JSON, Powertools). Requests log through a child carrying their request id (see
 * middleware/request-context.ts), never through appendKeys on this one: the local server runs requests
 * concurrently in one process, where shared temporary keys would mix.
 */
export const logger = new GatewayLogger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'llm-gateway',
  logFormatter: new GatewayLogFormatter(),
});
