/** Scopes a gateway key can carry; each key-authenticated route requires one. Zod-free: the route table reads it. */
export const SCOPES = ['chat', 'usage:read'] as const;
export type Scope = (typeof SCOPES)[number];
