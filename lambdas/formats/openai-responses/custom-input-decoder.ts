/**
 * The streamed arguments of a custom tool's call (`{"input":"…"}`, JSON text arriving in arbitrary pieces) → the text
 * of `input` as it arrives: what `response.custom_tool_call_input.delta` carries. Escapes split across pieces
 * (`\` in one, `n` in the next; `\u` and its hex digits; a surrogate pair's halves) are held until complete, so every
 * piece out is whole text (never half a UTF-16 pair). When the arguments do not start as that one-key object
 * (another key first, not JSON) nothing comes out; the whole input is then read at the end (customInputOf).
 */
type State = 'object' | 'key' | 'colon' | 'value' | 'string' | 'escape' | 'unicode' | 'ended' | 'off';

const KEY = 'input';
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const isSpace = (char: string): boolean => char === ' ' || char === '\n' || char === '\r' || char === '\t';
const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

export class CustomInputDecoder {
  private state: State = 'object';
  /** Characters of the key read so far (`"` included), or the hex digits of a `\u` escape. */
  private pending = '';
  /** A high surrogate waiting for its pair, so no piece ends in half a character. */
  private held = '';

  /** The next piece of the arguments → the next piece of the input's text ('' when none is complete yet). */
  push(chunk: string): string {
    let out = this.held;
    this.held = '';
    for (const char of chunk) {
      if (this.state === 'ended' || this.state === 'off') break;
      out += this.step(char);
    }
    const last = out.charCodeAt(out.length - 1);
    if (out.length > 0 && isHighSurrogate(last)) {
      this.held = out.slice(-1);
      out = out.slice(0, -1);
    }
    return out;
  }

  /** Whether the input's closing quote has arrived. */
  get ended(): boolean {
    return this.state === 'ended';
  }

  private step(char: string): string {
    switch (this.state) {
      case 'object':
        return this.expect(char, '{', 'key');
      case 'key':
        return this.readKey(char);
      case 'colon':
        return this.expect(char, ':', 'value');
      case 'value':
        return this.expect(char, '"', 'string');
      case 'string':
        if (char === '\\') this.state = 'escape';
        else if (char === '"') this.state = 'ended';
        else return char;
        return '';
      case 'escape':
        return this.escape(char);
      case 'unicode':
        return this.unicode(char);
      default:
        return '';
    }
  }

  private expect(char: string, wanted: string, next: State): string {
    if (isSpace(char)) return '';
    this.state = char === wanted ? next : 'off';
    return '';
  }

  private readKey(char: string): string {
    if (this.pending === '' && isSpace(char)) return '';
    this.pending += char;
    const literal = `"${KEY}"`;
    if (!literal.startsWith(this.pending)) this.state = 'off';
    else if (this.pending === literal) {
      this.pending = '';
      this.state = 'colon';
    }
    return '';
  }

  private escape(char: string): string {
    if (char === 'u') {
      this.state = 'unicode';
      return '';
    }
    const text = SIMPLE_ESCAPES[char];
    this.state = text === undefined ? 'off' : 'string';
    return text ?? '';
  }

  private unicode(char: string): string {
    if (!/^[0-9a-fA-F]$/.test(char)) {
      this.state = 'off';
      return '';
    }
    this.pending += char;
    if (this.pending.length < 4) return '';
    const code = Number.parseInt(this.pending, 16);
    this.pending = '';
    this.state = 'string';
    return String.fromCharCode(code);
  }
}
