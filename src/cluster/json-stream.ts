// Reads one big JSON object a piece at a time, so a snapshot of tens of megabytes never exists
// as one string and one object tree at once: the elements of one array member (a List's
// `items`) go to a callback one by one as they are read; the other members come back at the end.
// The scanner works on bytes (every character JSON's grammar cares about is ASCII, and no byte
// of a multi-byte UTF-8 character is), finds where each value ends by tracking strings, escapes
// and depth, and leaves checking the value itself to JSON.parse. It accepts only what JSON.parse
// accepts for the whole text; anything else (not an object, malformed, truncated, the array key
// twice or not an array) is a NotStreamable error, and the caller reads the file the ordinary way,
// which gives the same result and the same error message as before.

/** Fills `buf` from `offset` with up to `length` bytes; returns how many, 0 at the end. */
export type ReadBytes = (buf: Buffer, offset: number, length: number) => number;

/** The document is not a JSON object this reader takes: read the whole text instead. */
export class NotStreamable extends Error {}

const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  COMMA = 0x2c,
  COLON = 0x3a;
const LBRACE = 0x7b,
  RBRACE = 0x7d,
  LBRACKET = 0x5b,
  RBRACKET = 0x5d;
const isWs = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** Bytes in a buffer that refills from `read`, keeping what is from `pos` on. */
class ByteScanner {
  private buf: Buffer;
  private len = 0;
  pos = 0;
  private eof = false;

  constructor(
    private readonly read: ReadBytes,
    chunk: number,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(chunk, 1));
  }

  /** Reads more bytes after dropping those before `pos`; false at the end of the input. */
  private more(): boolean {
    if (this.eof) return false;
    if (this.pos > 0) {
      this.buf.copy(this.buf, 0, this.pos, this.len);
      this.len -= this.pos;
      this.pos = 0;
    }
    // A value longer than half the buffer: grow it, so a long value is rescanned only a few times.
    if (this.len * 2 > this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
    const n = this.read(this.buf, this.len, this.buf.length - this.len);
    if (n <= 0) {
      this.eof = true;
      return false;
    }
    this.len += n;
    return true;
  }

  /** The next byte that is not JSON whitespace (not consumed), or -1 at the end of the input. */
  peek(): number {
    for (;;) {
      while (this.pos < this.len) {
        const b = this.buf[this.pos]!;
        if (!isWs(b)) return b;
        this.pos++;
      }
      if (!this.more()) return -1;
    }
  }

  /** The text of the value starting at `pos` (checked by the caller's JSON.parse), consumed. */
  value(): string {
    for (;;) {
      const end = this.valueEnd();
      if (end >= 0) {
        const text = this.buf.toString('utf8', this.pos, end);
        this.pos = end;
        return text;
      }
      if (!this.more()) throw new NotStreamable('the document ends inside a value');
    }
  }

  /** Where the value at `pos` ends, or -1 if the buffer ends first. */
  private valueEnd(): number {
    const b = this.buf;
    const len = this.len;
    let i = this.pos;
    const first = b[i];
    if (first === QUOTE) return stringEnd(b, i + 1, len);
    if (first === LBRACE || first === LBRACKET) {
      let depth = 0;
      while (i < len) {
        const x = b[i]!;
        if (x === QUOTE) {
          i = stringEnd(b, i + 1, len);
          if (i < 0) return -1;
          continue;
        }
        if (x === LBRACE || x === LBRACKET) depth++;
        else if ((x === RBRACE || x === RBRACKET) && --depth === 0) return i + 1;
        i++;
      }
      return -1;
    }
    // A number, true, false or null: up to the next delimiter (an empty one fails JSON.parse).
    while (i < len) {
      const x = b[i]!;
      if (x === COMMA || x === RBRACE || x === RBRACKET || isWs(x)) return i;
      i++;
    }
    return this.eof ? len : -1;
  }
}

/** The index after the closing quote of a string whose text starts at `i`, or -1 if the buffer ends first. */
function stringEnd(b: Buffer, i: number, len: number): number {
  for (;;) {
    const q = b.indexOf(QUOTE, i);
    if (q < 0 || q >= len) return -1;
    // The quote is escaped if an odd number of backslashes come right before it.
    let k = q - 1;
    while (k >= i && b[k] === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    i = q + 1;
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new NotStreamable((e as Error).message);
  }
}

/** What `streamJsonObject` read besides the array's elements. */
export interface StreamedObject {
  /** The object's members other than the array, as JSON.parse gives them (duplicate keys: the last wins). */
  rest: Record<string, unknown>;
  /** Whether the object had the array member at all. */
  hasArray: boolean;
}

/**
 * Reads a document that is one JSON object. Each element of the member named `arrayKey` (which
 * must be an array, once) goes to `onItem` as soon as it is read, parsed; the other members come
 * back in `rest`. Throws NotStreamable for anything that is not such a document, valid JSON.
 * `chunk` is the read size in bytes (the buffer grows for a longer single value).
 */
export function streamJsonObject(
  read: ReadBytes,
  arrayKey: string,
  onItem: (value: unknown, index: number) => void,
  chunk = 1 << 20,
): StreamedObject {
  const s = new ByteScanner(read, chunk);
  const fail = (what: string): never => {
    throw new NotStreamable(what);
  };
  if (s.peek() !== LBRACE) fail('not a JSON object');
  s.pos++;
  const members: string[] = [];
  let hasArray = false;
  let c = s.peek();
  if (c === RBRACE) s.pos++;
  else {
    for (;;) {
      if (c !== QUOTE) fail('expected a key');
      const keyText = s.value();
      if (s.peek() !== COLON) fail('expected a colon');
      s.pos++;
      c = s.peek();
      if (c < 0) fail('the document ends after a key');
      if (parse(keyText) === arrayKey) {
        if (hasArray) fail(`${arrayKey} twice`);
        hasArray = true;
        if (c !== LBRACKET) fail(`${arrayKey} is not an array`);
        s.pos++;
        c = s.peek();
        if (c === RBRACKET) s.pos++;
        else {
          for (let index = 0; ; index++) {
            if (c < 0) fail('the document ends inside the array');
            onItem(parse(s.value()), index);
            c = s.peek();
            if (c === COMMA) {
              s.pos++;
              c = s.peek();
            } else if (c === RBRACKET) {
              s.pos++;
              break;
            } else fail('expected a comma or the end of the array');
          }
        }
      } else {
        members.push(`${keyText}:${s.value()}`);
      }
      c = s.peek();
      if (c === COMMA) {
        s.pos++;
        c = s.peek();
      } else if (c === RBRACE) {
        s.pos++;
        break;
      } else fail('expected a comma or the end of the object');
    }
  }
  if (s.peek() !== -1) fail('text after the object');
  return { rest: parse(`{${members.join(',')}}`) as Record<string, unknown>, hasArray };
}
