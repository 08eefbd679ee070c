import type { Citation, HostedCall } from '../../providers/hosted-tools.js';
import { outputItemId } from './response-ids.js';
import { annotationOf, hostedItem, hostedProgress } from './responses-hosted-items.js';
import { at, type ItemState, type MessageState } from './responses-message-stream.js';
import type { Emit } from './responses-reasoning-stream.js';

/**
 * Provider-hosted tool runs and citations in a Responses stream (responses-event-stream.ts): a hosted item goes out
 * whole — output_item.added (in progress), its progress events, output_item.done —, after whatever was open closed; a
 * citation is an `output_text.annotation.added` on the message item whose text it starts in, and stays on that item.
 */
export function hostedEvents(
  items: ItemState[],
  call: HostedCall,
  context: { readonly ledgerId: string; readonly sources: boolean },
  emit: Emit,
): string[] {
  const index = items.length;
  const item = hostedItem(call, outputItemId('web_search_call', context.ledgerId, index), context.sources);
  items.push({ kind: 'hosted', id: item.id ?? '', index, item });
  const inProgress = 'status' in item ? { ...item, status: 'in_progress' } : item;
  const at = { item_id: item.id, output_index: index };
  return [
    emit('response.output_item.added', { output_index: index, item: inProgress }),
    ...hostedProgress(item).map((type) => emit(type, at)),
    emit('response.output_item.done', { output_index: index, item }),
  ];
}

export function citationEvents(items: readonly ItemState[], citation: Citation, emit: Emit): string[] {
  const message = items
    .filter((item): item is MessageState => item.kind === 'message' && item.text !== null)
    .findLast((item) => item.base <= citation.start);
  if (message === undefined) return [];
  const annotation = annotationOf(citation, message.base);
  message.annotations.push(annotation);
  return [
    emit('response.output_text.annotation.added', {
      ...at(message),
      content_index: 0,
      annotation_index: message.annotations.length - 1,
      annotation,
    }),
  ];
}
