import type { ResolvedItem } from '../api/responses-input-schemas.js';
import { GatewayError } from '../core/errors.js';
import type { ResponseObject } from '../formats/openai-responses/response-object.js';

/**
 * A stored response (POST /v1/responses with `store` true or absent): the Response as the client received it, and the
 * conversation it answered — the stored conversation of its previous_response_id, its output, then this request's own
 * input items from `own` on (item references resolved, ids given to items that had none). Continuing it is one read:
 * conversation + output.
 */
export interface StoredResponse {
  readonly response: ResponseObject;
  readonly conversation: readonly ResolvedItem[];
  /** The index in `conversation` of this request's first own input item (GET …/input_items lists from there). */
  readonly own: number;
}

/**
 * The cap on a stored conversation (its input items, the earlier turns included), as JSON: 256 KiB. A request with
 * `store` whose conversation is larger is a 400 before anything goes upstream; send `store: false` and the whole
 * conversation instead. (A DynamoDB item holds 400 KB; the record is stored gzipped, output included.)
 */
export const STORED_CONVERSATION_MAX_BYTES = 256 * 1024;

export function checkStorable(conversation: readonly ResolvedItem[]): void {
  const bytes = Buffer.byteLength(JSON.stringify(conversation));
  if (bytes > STORED_CONVERSATION_MAX_BYTES) {
    throw new GatewayError({
      code: 'stored_response_too_large',
      message:
        `The conversation to store is ${bytes} bytes, over the gateway's cap of ${STORED_CONVERSATION_MAX_BYTES} bytes ` +
        'for stored responses: send store: false with the whole conversation as input.',
      param: 'input',
    });
  }
}

/** The conversation a stored response continues into: its conversation, then its output items. */
export const continuationOf = (stored: StoredResponse): ResolvedItem[] => [
  ...stored.conversation,
  ...(stored.response.output as readonly ResolvedItem[]),
];
