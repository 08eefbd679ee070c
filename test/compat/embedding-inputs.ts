/** What the embeddings table's tests send, the same for every client (test/compat/<client id>.test.ts). */

export const QUERY = 'What is the weather in Paris?';
export const BATCH = ['Paris is sunny.', 'Tokyo has rain.', 'Oslo is cold.'] as const;
/** A `dimensions` below the alias's (EMBED_DIMENSIONS). */
export const DIMENSIONS = 256;
