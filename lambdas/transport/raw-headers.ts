/**
 * A response's headers as the provider SDKs read them, straight from Node's `rawHeaders` (name, value, name, value…):
 * the read-only half of the Fetch `Headers` interface, built only when read. A Fetch `Headers` costs an allocation
 * and a validation per header; an upstream answer has a dozen or more, and the SDKs read three or four of them.
 * Names are case-insensitive; repeated headers combine with ", " (as `Headers.get` does); iteration is sorted by
 * lower-case name, Set-Cookie values one by one, as with `Headers`. Like a Fetch response's headers, they cannot be changed.
 */
export class RawHeaders {
  private combined: Map<string, string> | undefined;

  constructor(private readonly raw: readonly string[]) {}

  get(name: string): string | null {
    return this.map().get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.map().has(name.toLowerCase());
  }

  getSetCookie(): string[] {
    const cookies: string[] = [];
    for (let i = 0; i + 1 < this.raw.length; i += 2)
      if ((this.raw[i] as string).toLowerCase() === 'set-cookie') cookies.push(this.raw[i + 1] as string);
    return cookies;
  }

  forEach(callback: (value: string, name: string, parent: RawHeaders) => void): void {
    for (const [name, value] of this.entries()) callback(value, name, this);
  }

  *entries(): IterableIterator<[string, string]> {
    const sorted = [...this.map()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const entry of sorted) {
      // As with Headers: each Set-Cookie on its own, never combined.
      if (entry[0] === 'set-cookie') for (const cookie of this.getSetCookie()) yield ['set-cookie', cookie];
      else yield entry;
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  append(): never {
    throw new TypeError('immutable');
  }

  set(): never {
    throw new TypeError('immutable');
  }

  delete(): never {
    throw new TypeError('immutable');
  }

  /** The SDKs' type for response headers; they use only the members above. */
  asHeaders(): Headers {
    return this as unknown as Headers;
  }

  private map(): Map<string, string> {
    if (this.combined !== undefined) return this.combined;
    const combined = new Map<string, string>();
    for (let i = 0; i + 1 < this.raw.length; i += 2) {
      const name = (this.raw[i] as string).toLowerCase();
      const value = this.raw[i + 1] as string;
      const before = combined.get(name);
      combined.set(name, before === undefined ? value : `${before}, ${value}`);
    }
    this.combined = combined;
    return combined;
  }
}
