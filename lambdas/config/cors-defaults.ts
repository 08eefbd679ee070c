import type { CorsConfig } from './cors-schema.js';

/** CORS off: what the functions answer with when the configuration cannot be read (zod-free, read at init). */
export const CORS_DEFAULTS: CorsConfig = { allowedOrigins: [], maxAgeSeconds: 600 };
