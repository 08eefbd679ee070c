import { CustomInputDecoder } from '../../../lambdas/formats/openai-responses/custom-input-decoder.js';
import { customArguments, customInputOf } from '../../../lambdas/formats/openai-responses/responses-custom-tools.js';

// The streamed arguments of a custom tool's call ({"input": "…"} in pieces) → the input's text as it arrives.

const PATCH = '*** Begin Patch\n*** Add File: a "b".txt\n+tab\there \\ slash/ é 😀 \u0001\n*** End Patch\n';

function decode(pieces: readonly string[]): string[] {
  const decoder = new CustomInputDecoder();
  return pieces.map((piece) => decoder.push(piece));
}

it('decodes the whole input when the arguments come in one piece', () => {
  expect(decode([customArguments(PATCH)]).join('')).toBe(PATCH);
});

it('decodes across every split point: escapes, \\u escapes and surrogate pairs split between pieces', () => {
  // JSON.stringify leaves 😀 raw; escape it (and é) as a provider may, so \uD83D\uDE00 can be cut anywhere.
  const args = customArguments(PATCH)
    .replace('😀', '\\ud83d\\ude00')
    .replace('é', '\\u00e9')
    .replace('{"input":', '{ "input" :  ');
  expect(JSON.parse(args)).toEqual({ input: PATCH });
  for (let cut = 0; cut <= args.length; cut += 1) {
    for (let second = cut; second <= args.length; second += 7) {
      const out = decode([args.slice(0, cut), args.slice(cut, second), args.slice(second)]);
      expect(out.join('')).toBe(PATCH);
      // No piece ends in half a surrogate pair: each one survives JSON on its own (Rust clients parse each delta).
      for (const piece of out) expect(piece).toBe(Buffer.from(piece, 'utf8').toString('utf8'));
    }
  }
});

it('one character at a time, each piece out is what has become certain', () => {
  const args = customArguments('a\nb"c');
  const out = decode([...args]);
  expect(out.filter((piece) => piece !== '')).toEqual(['a', '\n', 'b', '"', 'c']);
});

it('stops at the closing quote; gives nothing for arguments of another shape', () => {
  expect(decode(['{"input":"done"', ', "extra": "ignored"}']).join('')).toBe('done');
  expect(decode(['{"cmd":"ls"}']).join('')).toBe('');
  expect(decode(['not json']).join('')).toBe('');
  expect(decode(['{"inputs":"x"}']).join('')).toBe('');
  expect(decode(['{"input": 5}']).join('')).toBe('');
});

it('customInputOf: the input of the object, a JSON string as it is, anything else as its raw text', () => {
  expect(customInputOf(customArguments(PATCH))).toBe(PATCH);
  expect(customInputOf('"raw"')).toBe('raw');
  expect(customInputOf('{"cmd":"ls"}')).toBe('{"cmd":"ls"}');
  expect(customInputOf('*** Begin Patch')).toBe('*** Begin Patch');
});
