import { z } from 'zod';

// The Lambda functions' sizing, read at synth only (lib/function-specs.ts, lib/gateway-stack.ts).

/**
 * The chat function's memory when the configuration names none, MB: the bench's measured peak RSS of the gateway
 * process with 1.5× headroom (docs/PERFORMANCE.md, "Memory"). Lambda's CPU share grows with memory (one vCPU at
 * 1,769 MB), so a smaller size makes the gateway's own CPU time per request longer, not the wait on the provider.
 */
export const DEFAULT_CHAT_MEMORY_MB = 1024;

export const functionsSchema = z.strictObject({
  chatMemoryMb: z
    .int()
    .min(128)
    .max(10_240)
    .default(DEFAULT_CHAT_MEMORY_MB)
    .describe(
      'Memory of the chat function, MB (128–10,240). It also sets its CPU share (one vCPU at 1,769 MB): the ' +
        'default holds the measured peak with headroom; more only shortens the gateway’s own CPU time per request',
    ),
});

export const FUNCTIONS_DEFAULTS = { chatMemoryMb: DEFAULT_CHAT_MEMORY_MB } as const;
