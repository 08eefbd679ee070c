/** The check's answer: the parsed request (chat-schemas.ts: ChatRequest), or undefined when it is not one. */
type Check = (value: unknown) => unknown;
let check: Check | undefined;

/** Registered by chat-schemas.ts as it loads (with the route schemas, on the first request that has a body). */
export function setChatRequestCheck(next: Check): void {
  check = next;
}

/** Whether chat-schemas.ts has registered the check (a plain chat body passes api/chat-fast-check.ts without it). */
export function chatRequestCheckLoaded(): boolean {
  return check !== undefined;
}

/**
 * `value` validated as a chat request (chat-schemas.ts: its parsed ChatRequest), or undefined when it is not one — for
 * code that runs after a body was validated and must not import zod itself (chat/resolve.ts: an alias's overrides).
 */
export function checkChatRequest(value: unknown): unknown {
  if (check === undefined) throw new Error('checkChatRequest: the chat request schema is not loaded');
  return check(value);
}
