/**
 * The tag on every usage-plan API key the gateway creates (lambdas/keys/usage-keys.ts), its value the stack's name:
 * `llm-gateway usage-plan-keys` finds a stack's keys by it, also once the stack is gone.
 */
export const STACK_TAG = 'llm-gateway:stack';

/** The environment variable that tells the admin function its stack's name, the tag's value (lib/function-construct.ts). */
export const STACK_NAME_ENV = 'STACK_NAME';
