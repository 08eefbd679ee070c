import { logger } from './logger.js';

type Attributes = Readonly<Record<string, unknown>>;

/** Logging for one request: every line carries its request id (and the Lambda invocation's id). */
export interface RequestLog {
  debug(message: string, attributes?: Attributes): void;
  info(message: string, attributes?: Attributes): void;
  warn(message: string, attributes?: Attributes): void;
  error(message: string, attributes?: Attributes): void;
}

/**
 * A per-request view of the root logger. Cheaper than a Powertools child logger per request (which re-reads its
 * environment configuration), and safe under the local server's concurrency (no shared temporary keys).
 */
export function requestLog(requestId: string, awsRequestId: string): RequestLog {
  const keys = { requestId, awsRequestId };
  const withKeys = (attributes: Attributes | undefined) =>
    attributes === undefined ? keys : { ...keys, ...attributes };
  return {
    debug: (message, attributes) => logger.debug(message, withKeys(attributes)),
    info: (message, attributes) => logger.info(message, withKeys(attributes)),
    warn: (message, attributes) => logger.warn(message, withKeys(attributes)),
    error: (message, attributes) => logger.error(message, withKeys(attributes)),
  };
}
