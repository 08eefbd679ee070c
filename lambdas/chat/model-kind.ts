import type { GatewayConfig } from '../config/schema.js';
import { GatewayError } from '../core/errors.js';

export type ModelKind = GatewayConfig['models'][string]['kind'];

const ROUTES: Readonly<Record<ModelKind, string>> = {
  chat: '/v1/chat/completions or /v1/messages',
  embedding: '/v1/embeddings',
};

/** An alias of the other kind: 400 `wrong_model_kind`, naming the alias's kind and where it is served. */
export function assertModelKind(alias: string, kind: ModelKind, wanted: ModelKind): void {
  if (kind === wanted) return;
  throw new GatewayError({
    code: 'wrong_model_kind',
    param: 'model',
    message: `The model "${alias.slice(0, 64)}" is ${kind === 'embedding' ? 'an embedding' : 'a chat'} model alias; use it on ${ROUTES[kind]}.`,
  });
}
