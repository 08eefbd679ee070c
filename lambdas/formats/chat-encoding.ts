import type { ChatRequest } from '../api/chat-schemas.js';
import type { ChatResult } from '../providers/types.js';
import type { StreamEncoder } from './sse-stream.js';

/** What an answer is named by, whatever its format. */
export interface AnswerMeta {
  /** The answer's id, already prefixed by the encoding (`chatcmpl-…`, `msg_…`). */
  readonly id: string;
  /** Unix seconds. */
  readonly created: number;
  /** The model alias the client asked for: answers name it, never the upstream model. */
  readonly alias: string;
  /** The request's X-Request-Id (error bodies of some formats carry it). */
  readonly requestId: string;
}

/**
 * The API format a chat answer leaves in. The chat service (routing, retries, quotas, ledger, metrics) is one; what
 * it answers with is this: the JSON body of a non-stream answer and the SSE encoder of a stream. `request` is the
 * canonical request as the service ran it.
 */
export interface ChatEncoding {
  readonly idPrefix: string;
  body(result: ChatResult, request: ChatRequest, meta: AnswerMeta): unknown;
  stream(request: ChatRequest, meta: AnswerMeta): StreamEncoder;
  /**
   * What the format keeps of a JSON answer (stored responses), once its books are closed and its body built; it logs
   * its own failures rather than throwing.
   */
  keep?(): Promise<void>;
}
