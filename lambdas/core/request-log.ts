import { logger } from './logger.js';

type Attributes = Readonly<Record<string, unknown>>;

/** Logging for one request: every line carries its request id (and the Lambda invocation's id). */
export interface RequestLog {
  debug(message: string, attributes?: Attributes): void;
  info(message: string, attributes?: Attributes): void;
  warn(message: string, attributes?: Attributes): void;
  error(message: string, attributes?: Attributes): void;
  /**
   * The request's one summary line at INFO ("request completed", "request"): the same line as `info`, written
   * without Powertools' per-call merge (GatewayLogger.infoLine). Its fields are JSON data: primitives, plain objects
   * and arrays — no Error, BigInt or cycle.
   */
  line(message: string, fields: Attributes): void;
}

/**
 * A per-request view of the root logger. Cheaper than a Powertools child logger per request (which re-reads its
 * environment configuration), and safe under the local server's concurrency (no shared temporary keys). One object
 * per request (its methods on the prototype, not four closures).
 */
class RequestLogger implements RequestLog {
  constructor(
    private readonly requestId: string,
    private readonly awsRequestId: string,
  ) {}

  debug(message: string, attributes?: Attributes): void {
    logger.debug(message, this.withKeys(attributes));
  }

  info(message: string, attributes?: Attributes): void {
    logger.info(message, this.withKeys(attributes));
  }

  warn(message: string, attributes?: Attributes): void {
    logger.warn(message, this.withKeys(attributes));
  }

  error(message: string, attributes?: Attributes): void {
    logger.error(message, this.withKeys(attributes));
  }

  line(message: string, fields: Attributes): void {
    logger.infoLine(message, { requestId: this.requestId, awsRequestId: this.awsRequestId }, fields);
  }

  private withKeys(attributes: Attributes | undefined): Attributes {
    const keys = { requestId: this.requestId, awsRequestId: this.awsRequestId };
    return attributes === undefined ? keys : { ...keys, ...attributes };
  }
}

export function requestLog(requestId: string, awsRequestId: string): RequestLog {
  return new RequestLogger(requestId, awsRequestId);
}
