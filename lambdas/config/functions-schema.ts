import { z } from 'zod';

// The Lambda functions' sizing, read at synth only (lib/function-specs.ts, lib/gateway-stack.ts).

/**
 * The chat function's memory when the configuration names none, MB (docs/PERFORMANCE.md, "Memory"): the bench's
 * measured peak RSS of the gateway (~150 MiB) with 1.5× headroom fits in 256 MB, but Lambda's CPU share follows memory
 * (one vCPU at 1,769 MB): at 256 MB the gateway's ~7 ms of CPU per request would take ~50 ms, and init ~7× longer.
 * 512 MB holds the peak with 3× headroom at half the cost of the former 1,024 MB; 256 is there for `chatMemoryMb`.
 */
export const DEFAULT_CHAT_MEMORY_MB = 512;

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
