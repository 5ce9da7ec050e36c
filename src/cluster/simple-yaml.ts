// A reader for the plain block YAML that kubectl, kind, cloud CLIs and people write in
// kubeconfig files: block mappings and sequences, plain and quoted one-line scalars, comments,
// `{}` and `[]`. It exists for start-up time (the yaml library's first parse costs more than
// the rest of reading a kubeconfig). It answers only what it is sure of: anything else
// (flow collections, anchors, tags, block scalars, multi-line or numeric-looking scalars,
// escapes) makes it return undefined, and the caller parses with the yaml library instead.
// For every document it does answer, the value equals the yaml library's `parse(text,
// { version: '1.1' })` (test/cluster/simple-yaml.test.ts checks this differentially).

/** Parsed value, or undefined when the text is outside the supported subset. */
export function parseSimpleYaml(text: string): unknown {
  try {
    const lines = toLines(text);
    if (lines === undefined) return undefined;
    if (lines.length === 0) return null;
    const r = new Reader(lines);
    const value = r.block(lines[0]!.indent);
    return r.pos === lines.length ? value : undefined;
  } catch (e) {
    if (e === UNSUPPORTED) return undefined;
    throw e;
  }
}

const UNSUPPORTED = Symbol('unsupported');
function unsupported(): never {
  throw UNSUPPORTED;
}

interface Line {
  indent: number;
  text: string;
}

/** Non-empty, comment-free lines with their indentation; undefined for what this reader leaves alone. */
function toLines(text: string): Line[] | undefined {
  const out: Line[] = [];
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    let line = raw[i]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (/\t/.test(line) || /[^\x20-\x7e]/.test(line)) return undefined;
    const body = line.trimStart();
    if (body === '' || body.startsWith('#')) continue;
    if (body === '---' && out.length === 0) continue;
    if (body.startsWith('---') || body.startsWith('...') || body.startsWith('%')) return undefined;
    out.push({ indent: line.length - body.length, text: body.trimEnd() });
  }
  return out;
}

class Reader {
  pos = 0;
  constructor(private readonly lines: Line[]) {}

  /** The block (mapping or sequence) whose lines start at `indent`. */
  block(indent: number): unknown {
    const first = this.lines[this.pos]!;
    if (first.indent !== indent) unsupported();
    return isSeqItem(first.text) ? this.sequence(indent) : this.mapping(indent);
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos]!;
      // A key at the dash's indentation ends a sequence that is a mapping's value.
      if (line.indent < indent || (line.indent === indent && !isSeqItem(line.text))) break;
      if (line.indent > indent) unsupported();
      const rest = line.text === '-' ? '' : line.text.slice(2);
      const restIndent = indent + 2 + (rest.length - rest.trimStart().length);
      if (rest.trim() === '') {
        this.pos++;
        items.push(this.nested(indent, true));
      } else if (isSeqItem(rest.trimStart())) {
        unsupported(); // "- - x": nested compact sequences
      } else if (splitKey(rest.trimStart()) !== undefined) {
        // "- key: value": a mapping whose first line shares the dash's line.
        this.lines[this.pos] = { indent: restIndent, text: rest.trimStart() };
        items.push(this.mapping(restIndent));
      } else {
        this.pos++;
        items.push(scalar(rest.trim()));
        this.noContinuation(indent);
      }
    }
    return items;
  }

  private mapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos]!;
      if (line.indent < indent) break;
      if (line.indent > indent) unsupported();
      const kv = splitKey(line.text);
      if (kv === undefined) unsupported();
      const [key, rest] = kv;
      if (Object.hasOwn(map, key) || key === '__proto__') unsupported();
      this.pos++;
      if (rest === '') {
        map[key] = this.nested(indent, false);
      } else {
        map[key] = scalar(rest);
        this.noContinuation(indent);
      }
    }
    return map;
  }

  /** The value under a key or dash with nothing after it: a deeper block, a sequence at the key's indent, or null. */
  private nested(indent: number, inSequence: boolean): unknown {
    const next = this.lines[this.pos];
    if (next === undefined) return null;
    if (next.indent > indent) return this.block(next.indent);
    // YAML lets a mapping's sequence value start at the key's own indentation.
    if (!inSequence && next.indent === indent && isSeqItem(next.text)) return this.sequence(indent);
    return null;
  }

  /** A scalar must fit on its line: a deeper line after it would continue it. */
  private noContinuation(indent: number): void {
    const next = this.lines[this.pos];
    if (next !== undefined && next.indent > indent) unsupported();
  }
}

function isSeqItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

/** "key: rest" with a plain key, or undefined when the line is not such a pair. */
function splitKey(text: string): [string, string] | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_./-]*):(?: +(.*))?$/.exec(text);
  if (!m) return undefined;
  // A key YAML 1.1 reads as null or a boolean is not a string key.
  if (NULLS.has(m[1]!) || TRUE.has(m[1]!) || FALSE.has(m[1]!)) unsupported();
  return [m[1]!, m[2] ?? ''];
}

const NULLS = new Set(['~', 'null', 'Null', 'NULL']);
const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

/** One scalar (a comment may follow); YAML 1.1's null and booleans; numbers and the rest are left to the library. */
function scalar(text: string): unknown {
  if (text === '{}') return {};
  if (text === '[]') return [];
  if (text.startsWith('"')) {
    const m = /^"([^"\\]*)"(?:\s+#.*)?$/.exec(text);
    return m ? m[1] : unsupported();
  }
  if (text.startsWith("'")) {
    const m = /^'((?:[^']|'')*)'(?:\s+#.*)?$/.exec(text);
    return m ? m[1]!.replace(/''/g, "'") : unsupported();
  }
  const hash = text.indexOf(' #');
  const plain = hash >= 0 ? text.slice(0, hash).trimEnd() : text;
  // Indicators, numbers, dates and anything with ": " or a flow character stay with the library.
  if (plain === '' || /^[-?:,[\]{}#&*!|>'"%@`+.0-9]/.test(plain) || /: |[[\]{},]|:$/.test(plain)) unsupported();
  if (NULLS.has(plain)) return null;
  if (TRUE.has(plain)) return true;
  if (FALSE.has(plain)) return false;
  return plain;
}
