import type { InputItem, ResolvedItem } from '../api/responses-input-schemas.js';
import type { ResponsesRequest } from '../api/responses-schemas.js';
import { GatewayError } from '../core/errors.js';
import { inputItemId, responseIdOfItem, type ItemKind } from '../formats/openai-responses/response-ids.js';
import type { ResponseStore } from './response-store.js';
import { continuationOf, type StoredResponse } from './stored-response.js';

/**
 * The conversation of a /v1/responses request: the stored one its previous_response_id continues (404
 * previous_response_not_found when this tenant has none by that id), then its own input — a string as one user
 * message, messages in their full item form (`type: "message"`, content as parts), and each item_reference replaced
 * by the stored item it names (404 item_not_found otherwise). A reasoning item sent back as a stored response showed it
 * (one of the gateway's ids, no encrypted_content) is the stored item, which carries its reasoning, when this tenant
 * still has it. Reads are per tenant: another tenant's ids are absent.
 */
export interface Conversation {
  readonly prior: readonly ResolvedItem[];
  readonly own: readonly ResolvedItem[];
}

function normalized(item: Exclude<InputItem, { type: 'item_reference' }>): ResolvedItem {
  if (item.type !== undefined && item.type !== 'message') return item;
  const content =
    typeof item.content === 'string'
      ? [
          item.role === 'assistant'
            ? { type: 'output_text' as const, text: item.content, annotations: [] }
            : { type: 'input_text' as const, text: item.content },
        ]
      : item.content;
  return { ...item, type: 'message', content };
}

export async function conversationOf(
  store: ResponseStore,
  tenant: string,
  request: Pick<ResponsesRequest, 'previous_response_id' | 'input'>,
): Promise<Conversation> {
  const loaded = new Map<string, StoredResponse | undefined>();
  const load = async (id: string): Promise<StoredResponse | undefined> => {
    if (!loaded.has(id)) loaded.set(id, await store.get(tenant, id));
    return loaded.get(id);
  };
  const previousId = request.previous_response_id;
  let prior: readonly ResolvedItem[] = [];
  if (previousId != null) {
    const previous = await load(previousId);
    if (previous === undefined) {
      throw new GatewayError({
        code: 'previous_response_not_found',
        message: `Previous response with id '${previousId}' not found.`,
        param: 'previous_response_id',
      });
    }
    prior = continuationOf(previous);
  }
  const input = request.input;
  const items: readonly InputItem[] =
    input === undefined ? [] : typeof input === 'string' ? [{ role: 'user', content: input }] : input;
  const own: ResolvedItem[] = [];
  const find = async (id: string): Promise<ResolvedItem | undefined> => {
    const responseId = responseIdOfItem(id);
    const stored = responseId === undefined ? undefined : await load(responseId);
    return stored === undefined ? undefined : continuationOf(stored).find((candidate) => candidate.id === id);
  };
  for (const [index, item] of items.entries()) {
    if (item.type === 'reasoning' && item.id !== undefined && item.encrypted_content == null) {
      const found = await find(item.id);
      own.push(found?.type === 'reasoning' ? found : item);
      continue;
    }
    if (item.type !== 'item_reference') {
      own.push(normalized(item));
      continue;
    }
    const found = await find(item.id);
    if (found === undefined) {
      throw new GatewayError({
        code: 'item_not_found',
        message: `Item with id '${item.id}' not found.`,
        param: `input[${index}]`,
      });
    }
    own.push(found);
  }
  return { prior, own };
}

const kindOf = (item: ResolvedItem): ItemKind => item.type ?? 'message';

/** Own input items as stored: each with an id (the response's ledger id in it), so item_reference can name it. */
export const withIds = (own: readonly ResolvedItem[], ledgerId: string): ResolvedItem[] =>
  own.map((item, index) =>
    item.id == null ? { ...item, id: inputItemId(kindOf(item), ledgerId, index) } : item,
  ) as ResolvedItem[];
