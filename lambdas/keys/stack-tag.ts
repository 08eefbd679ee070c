/**
 * The tag on every usage-plan API key the gateway creates (lambdas/keys/usage-keys.ts), its value the stack's name:
 * `llm-gateway usage-plan-keys` finds a stack's keys by it, also once the stack is gone.
 */
export const STACK_TAG = 'llm-gateway:stack';
