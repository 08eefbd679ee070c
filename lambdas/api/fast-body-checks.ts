import { plainChatRequest } from './chat-fast-check.js';

/**
 * Zod-free checks of common bodies, by operationId (middleware/json-body.ts tries them before the route's schema):
 * each returns the parsed body when it is sure the schema would accept it unchanged, undefined to leave it to the
 * schema.
 */
export const fastBodyChecks: ReadonlyMap<string, (body: unknown) => unknown> = new Map([
  ['createChatCompletion', plainChatRequest],
  ['chat', plainChatRequest],
]);
