// Small pieces of Go's strings/strconv behaviour that robfig's error texts depend on.

// unicode.IsSpace: ASCII white space, U+0085, U+00A0 and the Unicode White_Space separators.
const GO_SPACE =
  '\t\n\v\f\r \u0085\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000';
const GO_SPACE_RUN = new RegExp(`[${GO_SPACE}]+`, 'u');
const TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'gu');

/** strings.Fields: split around runs of Go white space, dropping empty pieces. */
export function goFields(s: string): string[] {
  return s.split(GO_SPACE_RUN).filter((f) => f !== '');
}

/** strings.TrimSpace with Go's definition of white space. */
export function goTrimSpace(s: string): string {
  return s.replace(TRIM, '');
}

/** fmt's `%s` rendering of a []string: "[a b c]". */
export function goStringSlice(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const SIMPLE_ESCAPES: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  12: '\\f',
  10: '\\n',
  13: '\\r',
  9: '\\t',
  11: '\\v',
};

/** strconv.Quote (non-ASCII printability judged by the Unicode tables of this JS engine). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (c === 0x22 || c === 0x5c) out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c >= 0x80 && c !== 0xad && (c <= 0xff ? c >= 0xa1 : PRINTABLE.test(ch))) out += ch;
    else if (SIMPLE_ESCAPES[c] !== undefined) out += SIMPLE_ESCAPES[c];
    else if (c < 0x80) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_LIMIT = 1n << 63n;

/** strconv.Atoi on a 64-bit platform; throws an Error carrying Go's *NumError text. */
export function goAtoi(s: string): bigint {
  const fail = (why: string): never => {
    throw new Error(`strconv.Atoi: parsing ${goQuote(s)}: ${why}`);
  };
  let digits = s;
  const neg = s[0] === '-';
  if (neg || s[0] === '+') digits = s.slice(1);
  if (digits === '') fail('invalid syntax');
  let n = 0n;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) fail('invalid syntax');
    n = n * 10n + BigInt(d);
    if (n > UINT64_MAX) fail('value out of range');
  }
  if (neg ? n > INT64_LIMIT : n >= INT64_LIMIT) fail('value out of range');
  return neg ? -n : n;
}
