/**
 * CORS off: what the functions answer with when the configuration cannot be read, and the schema's default
 * (cors-schema.ts). Zod-free, read at init; typed by its shape so it imports nothing of the schema.
 */
export const CORS_DEFAULTS: { readonly allowedOrigins: string[]; readonly maxAgeSeconds: number } = {
  allowedOrigins: [],
  maxAgeSeconds: 600,
};
