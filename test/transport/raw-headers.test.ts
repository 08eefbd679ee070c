import { RawHeaders } from '../../lambdas/transport/raw-headers.js';

// Response headers read straight from Node's rawHeaders answer as a Fetch Headers built from the same pairs would.
const raw = [
  'Content-Type',
  'application/json',
  'X-Request-Id',
  'req_1',
  'Retry-After',
  '7',
  'Vary',
  'Accept',
  'set-cookie',
  'a=1',
  'vary',
  'Origin',
  'Set-Cookie',
  'b=2',
  'x-ratelimit-remaining-requests',
  '99',
];
const pairs = (list: readonly string[]): [string, string][] => {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < list.length; i += 2) out.push([list[i] as string, list[i + 1] as string]);
  return out;
};
const fetchHeaders = (): Headers => {
  const headers = new Headers();
  for (const [name, value] of pairs(raw)) headers.append(name, value);
  return headers;
};

it('get and has: case-insensitive, repeated values combined, null when absent', () => {
  const headers = new RawHeaders(raw);
  const reference = fetchHeaders();
  for (const name of ['content-type', 'X-REQUEST-ID', 'retry-after', 'vary', 'set-cookie', 'missing']) {
    expect(headers.get(name)).toBe(reference.get(name));
    expect(headers.has(name)).toBe(reference.has(name));
  }
  expect(headers.get('vary')).toBe('Accept, Origin');
});

it('iterates like Headers: sorted lower-case names, Set-Cookie one by one', () => {
  const headers = new RawHeaders(raw);
  const reference = fetchHeaders();
  expect([...headers.entries()]).toEqual([...reference.entries()]);
  expect([...headers]).toEqual([...reference]);
  expect([...headers.keys()]).toEqual([...reference.keys()]);
  expect([...headers.values()]).toEqual([...reference.values()]);
  expect(headers.getSetCookie()).toEqual(reference.getSetCookie());
  const seen: string[] = [];
  headers.forEach((value, name) => seen.push(`${name}=${value}`));
  const expected: string[] = [];
  reference.forEach((value, name) => expected.push(`${name}=${value}`));
  expect(seen).toEqual(expected);
});

it('cannot be changed, like a response’s headers', () => {
  const headers = new RawHeaders(raw).asHeaders();
  expect(() => headers.set('x', '1')).toThrow(TypeError);
  expect(() => headers.append('x', '1')).toThrow(TypeError);
  expect(() => headers.delete('vary')).toThrow(TypeError);
});
