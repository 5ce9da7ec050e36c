// A fast reader for the YAML of snapshots: what `kubectl job snapshot -o yaml` writes
// (src/output/yaml-writer.ts) and what `kubectl get -o yaml` writes. Block mappings and
// sequences at any indentation (sequences under a key indented or not), `- ` items that open a
// mapping or another sequence on the dash's line, one-line scalars (plain, double-quoted with
// JSON's escapes, single-quoted), `{}` and `[]`, full-line comments and `---` between documents.
// Scalars are resolved as the YAML 1.2 core schema resolves them (null, booleans, JSON-shaped
// numbers; everything else plain is a string).
//
// It answers only what it is sure of: anything else (anchors, aliases, tags, block scalars,
// flow collections with content, multi-line scalars, other number forms, escapes JSON does
// not have, tabs, duplicate keys, complex keys, directives) makes it return undefined, and the
// caller reads the text with the yaml library instead. Where it answers, the value is the
// yaml library's (test/cluster/snapshot-yaml.test.ts checks this differentially).

/** The documents of `text`, or undefined when the text is outside the fast path's grammar. */
export function readSnapshotYaml(text: string): unknown[] | undefined {
  // Characters whose YAML meaning this reader does not model: tabs, CR, other controls, NEL,
  // line and paragraph separators, a byte-order mark.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  if (/[\x00-\x08\x09\x0b-\x1f\x7f\u2028\u2029\ufeff]/.test(text)) return undefined;
  try {
    const r = new Reader(text);
    const docs: unknown[] = [];
    let another = false; // a `---` promised another document
    for (;;) {
      const line = r.peek();
      if (line === undefined) {
        if (r.separator || another) return undefined; // an empty document: the library's business
        break;
      }
      docs.push(r.block(line.indent));
      another = r.separator;
      if (r.separator)
        r.separator = false; // `---`: the next document
      else if (r.peek() !== undefined)
        return undefined; // a line the block could not take
      else break;
    }
    if (docs.length === 0 || r.leadingSeparators > 1) return undefined;
    return docs;
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

/** Walks the significant lines of the text (no blank or comment lines), one at a time. */
class Reader {
  private pos = 0;
  private cur: Line | undefined;
  /** Set when a `---` line ended the current document. */
  separator = false;
  /** `---` lines before the first document. */
  leadingSeparators = 0;
  private docStart = true;

  constructor(private readonly text: string) {}

  /** The current line, or undefined at the end of the document (or of the text). */
  peek(): Line | undefined {
    if (this.cur !== undefined) return this.cur;
    if (this.separator) return undefined;
    const t = this.text;
    while (this.pos < t.length) {
      let end = t.indexOf('\n', this.pos);
      if (end < 0) end = t.length;
      const start = this.pos;
      this.pos = end + 1;
      let i = start;
      while (i < end && t.charCodeAt(i) === 32) i++;
      if (i === end) continue; // blank
      const c = t.charCodeAt(i);
      if (c === 35) continue; // # comment line
      let j = end;
      while (j > i && t.charCodeAt(j - 1) === 32) j--;
      const body = t.slice(i, j);
      if (i === start && (c === 45 || c === 46 || c === 37)) {
        if (body === '---') {
          if (this.docStart) {
            this.leadingSeparators++;
            continue;
          }
          this.separator = true;
          return undefined;
        }
        if (body.startsWith('---') || body.startsWith('...') || c === 37) unsupported();
      }
      this.docStart = false;
      this.cur = { indent: i - start, text: body };
      return this.cur;
    }
    return undefined;
  }

  /** After `---`: the next document starts. */
  private next(): void {
    this.cur = undefined;
  }

  /** The block (mapping or sequence) whose lines start at `indent`. */
  block(indent: number): unknown {
    const first = this.peek()!;
    if (first.indent !== indent) unsupported();
    return isSeqItem(first.text) ? this.sequence(indent) : this.mapping(indent);
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    for (;;) {
      const line = this.peek();
      // A key at the dash's indentation ends a sequence that is a mapping's value.
      if (line === undefined || line.indent < indent || (line.indent === indent && !isSeqItem(line.text))) break;
      if (line.indent > indent) unsupported();
      if (line.text === '-') {
        this.next();
        items.push(this.nested(indent, true));
        continue;
      }
      let k = 2;
      while (line.text.charCodeAt(k) === 32) k++;
      const rest = line.text.slice(k);
      const restIndent = indent + k;
      if (isSeqItem(rest) || splitKey(rest) !== undefined) {
        // "- key: value" or "- - x": a block whose first line shares the dash's line.
        this.cur = { indent: restIndent, text: rest };
        items.push(this.block(restIndent));
      } else {
        this.next();
        items.push(scalar(rest));
        this.noContinuation(indent);
      }
    }
    return items;
  }

  private mapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    for (;;) {
      const line = this.peek();
      if (line === undefined || line.indent < indent) break;
      if (line.indent > indent) unsupported();
      const kv = splitKey(line.text);
      if (kv === undefined) unsupported();
      const [key, rest] = kv;
      if (Object.hasOwn(map, key)) unsupported(); // the library refuses duplicates
      this.next();
      let value: unknown;
      if (rest === '') {
        value = this.nested(indent, false);
      } else {
        value = scalar(rest);
        this.noContinuation(indent);
      }
      // An own property named __proto__, as JSON.parse and the yaml library make it (never the prototype).
      if (key === '__proto__')
        Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
      else map[key] = value;
    }
    return map;
  }

  /** The value under a key or dash with nothing after it: a deeper block, a sequence at the key's indent, or null. */
  private nested(indent: number, inSequence: boolean): unknown {
    const next = this.peek();
    if (next === undefined) return null;
    if (next.indent > indent) return this.block(next.indent);
    // YAML lets a mapping's sequence value start at the key's own indentation (kubectl writes it so).
    if (!inSequence && next.indent === indent && isSeqItem(next.text)) return this.sequence(indent);
    return null;
  }

  /** A scalar must fit on its line: a deeper line after it would continue it. */
  private noContinuation(indent: number): void {
    const next = this.peek();
    if (next !== undefined && next.indent > indent) unsupported();
  }
}

function isSeqItem(text: string): boolean {
  return text.charCodeAt(0) === 45 && (text.length === 1 || text.charCodeAt(1) === 32);
}

/** "key: rest" (rest '' when the value follows on the next lines), or undefined when the line is no such pair. */
function splitKey(text: string): [string, string] | undefined {
  const c = text.charCodeAt(0);
  let key: string;
  let after: number; // index of the ':' after the key
  if (c === 34 || c === 39) {
    const end = quotedEnd(text, 0);
    if (end < 0 || text.charCodeAt(end) !== 58) return undefined;
    key = quoted(text.slice(0, end));
    after = end;
  } else {
    after = text.indexOf(': ');
    if (after < 0) {
      if (text.charCodeAt(text.length - 1) !== 58) return undefined;
      after = text.length - 1;
    }
    const raw = text.slice(0, after);
    // A key must read back as this very string: no indicator first, no comment, no other ": ".
    if (
      raw === '' ||
      raw === '<<' ||
      INDICATOR.test(raw) ||
      raw.includes(' #') ||
      raw.endsWith(':') ||
      raw.endsWith(' ')
    )
      unsupported();
    if (NOT_STRING.test(raw)) unsupported();
    key = raw;
  }
  if (after === text.length - 1) return [key, ''];
  if (text.charCodeAt(after + 1) !== 32) return undefined;
  let v = after + 2;
  while (text.charCodeAt(v) === 32) v++;
  const rest = text.slice(v);
  if (rest.charCodeAt(0) === 35) return [key, '']; // "key: # comment"
  return [key, rest];
}

/** Index just after the closing quote of the quoted scalar starting at `from`, or -1. */
function quotedEnd(text: string, from: number): number {
  const q = text.charCodeAt(from);
  for (let i = from + 1; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (q === 34 && ch === 92) {
      i++;
      continue;
    }
    if (ch === q) {
      if (q === 39 && text.charCodeAt(i + 1) === 39) {
        i++;
        continue;
      }
      return i + 1;
    }
  }
  return -1;
}

/** The value of one complete quoted scalar (quotes included). */
function quoted(s: string): string {
  if (s.charCodeAt(0) === 39) return s.slice(1, -1).replace(/''/g, "'");
  // JSON's escapes are a subset of YAML's double-quoted ones, with the same meaning; anything
  // JSON.parse refuses (\x41, \e, \N, raw controls) is left to the yaml library.
  try {
    return JSON.parse(s) as string;
  } catch {
    return unsupported();
  }
}

/** Plain scalars that start with an indicator, or with "- ", "? ", ": " (a lone "-", "?", ":" too). */
const INDICATOR = /^(?:[,[\]{}#&*!|>'"%@`]|[-?:](?: |$))/;
/** What the core schema reads as null, a boolean or a number (as keys, these are not left to guess). */
const NOT_STRING =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/;

/** One scalar on its line (a comment may follow a quoted one or a plain one after " #"). */
function scalar(text: string): unknown {
  const c = text.charCodeAt(0);
  if (c === 34 || c === 39) {
    const end = quotedEnd(text, 0);
    if (end < 0) unsupported(); // continues on the next line
    const tail = text.slice(end);
    if (tail !== '' && !/^ +#/.test(tail)) unsupported();
    return quoted(text.slice(0, end));
  }
  if (text === '{}') return {};
  if (text === '[]') return [];
  if (INDICATOR.test(text) || text.includes(' #') || text.includes(': ') || text.endsWith(':')) unsupported();
  switch (text) {
    case 'null':
    case 'Null':
    case 'NULL':
    case '~':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  const f = text.charCodeAt(0);
  // Numbers: only JSON's shapes are read here; the core schema's others (0x1F, +1, .5, 1., .inf) go to the library.
  if ((f >= 48 && f <= 57) || f === 45 || f === 43 || f === 46) {
    if (JSON_NUMBER.test(text)) return Number(text);
    if (NOT_STRING.test(text)) unsupported();
  }
  return text;
}
