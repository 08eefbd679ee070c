import { z } from 'zod';

/** An origin as browsers send it: scheme, host and optional port, nothing else (no path, no trailing slash). */
const origin = z
  .string()
  .regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i, 'an origin: scheme://host[:port], no path')
  .describe('e.g. https://app.example.com');

export const corsSchema = z
  .strictObject({
    allowedOrigins: z
      .array(origin)
      .max(50)
      .default([])
      .describe('Browser origins allowed to call the API; empty (the default): CORS off'),
    maxAgeSeconds: z.int().min(0).max(86_400).default(600).describe('How long browsers may cache a preflight answer'),
  })
  .describe(
    'CORS for browser apps: preflights answered at the edge without a key; Access-Control-Allow-Origin only for listed origins',
  );

export type CorsConfig = z.output<typeof corsSchema>;

export { CORS_DEFAULTS } from './cors-defaults.js';
