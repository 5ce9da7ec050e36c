// Go's time.ParseDuration, exact to the nanosecond (BigInt), with Go's error texts: the tool's one
// duration grammar. The cron engine's @every, every flag that takes a duration (src/cli/parse-time.ts)
// and --request-timeout (src/cluster/kubeconfig.ts) go through it; test/controller/duration.test.ts
// checks it against Go's own answers.

const NS_PER = new Map<string, bigint>([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n], // micro sign
  ['\u03bcs', 1_000n], // Greek mu
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);
const UTF8 = new TextEncoder();
const LIMIT = 1n << 63n;
const MASK = (1n << 64n) - 1n;

/** The time package's own quoting: non-ASCII and control bytes become \xNN (UTF-8 bytes). */
export function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (c >= 0x80 || c < 0x20) {
      for (const b of UTF8.encode(ch)) out += `\\x${b.toString(16).padStart(2, '0')}`;
    } else {
      out += c === 0x22 || c === 0x5c ? `\\${ch}` : ch;
    }
  }
  return `${out}"`;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/**
 * time.ParseDuration returning nanoseconds as a bigint (an int64 value); throws Error with Go's message.
 * `extraUnits` adds units to Go's (the CLI's d and w); without it the grammar is exactly Go's.
 */
export function parseGoDurationNs(input: string, extraUnits?: ReadonlyMap<string, bigint>): bigint {
  const invalid = (what = 'invalid duration'): never => {
    throw new Error(`time: ${what} ${timeQuote(input)}`);
  };
  let s = input;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') invalid();
  let d = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) invalid();
    // whole part: [0-9]*, overflowing past 2^63 is an error
    let i = 0;
    let v = 0n;
    for (; isDigit(s[i]); i++) {
      if (v > LIMIT / 10n) invalid();
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > LIMIT) invalid();
    }
    const pre = i > 0;
    s = s.slice(i);
    // fraction: digits past int64 precision are consumed but ignored
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s[0] === '.') {
      s = s.slice(1);
      let overflow = false;
      let j = 0;
      for (; isDigit(s[j]); j++) {
        if (overflow) continue;
        if (f > (LIMIT - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(s.charCodeAt(j) - 48);
        if (y > LIMIT) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) invalid();
    let k = 0;
    while (k < s.length && s[k] !== '.' && !isDigit(s[k])) k++;
    if (k === 0) invalid('missing unit in duration');
    const u = s.slice(0, k);
    s = s.slice(k);
    const perUnit = NS_PER.get(u) ?? extraUnits?.get(u) ?? invalid(`unknown unit ${timeQuote(u)} in duration`);
    if (v > LIMIT / perUnit) invalid();
    v *= perUnit;
    if (f > 0n) {
      // Go does this step in float64; JS numbers are the same IEEE doubles.
      v += BigInt(Math.trunc(Number(f) * (Number(perUnit) / scale)));
      if (v > LIMIT) invalid();
    }
    d = (d + v) & MASK; // uint64 arithmetic, wrap-around included
    if (d > LIMIT) invalid();
  }
  if (neg) return BigInt.asIntN(64, -d);
  if (d > LIMIT - 1n) invalid();
  return d;
}

/** Go time.ParseDuration converted to (possibly fractional) milliseconds; throws Error with Go's message. */
export function parseGoDuration(s: string, extraUnits?: ReadonlyMap<string, bigint>): number {
  const ns = parseGoDurationNs(s, extraUnits);
  return Number(ns / 1_000_000n) + Number(ns % 1_000_000n) / 1e6;
}
