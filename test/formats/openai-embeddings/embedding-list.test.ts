import {
  base64Of,
  dimensionsOf,
  embeddingList,
  floatsOf,
} from '../../../lambdas/formats/openai-embeddings/embedding-list.js';

// The answer's encodings: base64 is little-endian float32 (what the openai SDK decodes with a Float32Array view).

const floats = [0.5, -1.25, Math.fround(0.1), 3];

it('floats → base64 → floats, byte for byte what Float32Array gives', () => {
  const b64 = base64Of(floats);
  expect(b64).toBe(Buffer.from(new Float32Array(floats).buffer).toString('base64'));
  expect(floatsOf(b64)).toEqual(floats);
  expect(base64Of(b64)).toBe(b64);
  expect(dimensionsOf(b64)).toBe(4);
  expect(dimensionsOf(floats)).toBe(4);
});

it("OpenAI's list, named by the alias, in the encoding asked for", () => {
  expect(embeddingList([floats, base64Of(floats)], 'float', 'embed', 7)).toEqual({
    object: 'list',
    data: [
      { object: 'embedding', index: 0, embedding: floats },
      { object: 'embedding', index: 1, embedding: floats },
    ],
    model: 'embed',
    usage: { prompt_tokens: 7, total_tokens: 7 },
  });
  expect(embeddingList([floats], 'base64', 'embed', 1).data[0]?.embedding).toBe(base64Of(floats));
});
