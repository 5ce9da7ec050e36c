// Seeded corruption of JSON-shaped documents for the input fuzz tests: wrong types, nulls,
// huge values, removed keys, and truncated or garbled text. Same seed, same cases.

import { rng } from './rng.js';
export { rng };

export type Rand = () => number;

export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Values that replace a field: every JSON type, edge numbers, odd strings. */
export function oddValue(r: Rand): unknown {
  const values: Array<() => unknown> = [
    () => null,
    () => 0,
    () => -1,
    () => 5,
    () => 1.5,
    () => 2 ** 31,
    () => 2 ** 53 + 2,
    () => 1e308,
    () => -1e308,
    () => true,
    () => false,
    () => '',
    () => 'x',
    () => '5',
    () => 'null',
    () => '2026-13-45T99:99:99Z',
    () => '0001-01-01T00:00:00Z',
    () => '9999-12-31T23:59:59Z',
    () => '1970-01-01T00:00:00Z',
    () => '*/0 * * * *',
    () => '@every 0s',
    () => 'TZ=Mars/Olympus 0 * * * *',
    () => 'x'.repeat(5000),
    () => '0-2147483646',
    () => '__proto__',
    () => [],
    () => [null],
    () => [1, 'a', {}],
    () => ({}),
    () => ({ a: { b: [1] } }),
  ];
  return pick(r, values)();
}

/** Every path (list of keys) to a value inside `doc`. */
function paths(
  doc: unknown,
  prefix: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(doc)) for (const [i, x] of doc.entries()) paths(x, [...prefix, i], out);
  else if (doc && typeof doc === 'object') for (const [k, x] of Object.entries(doc)) paths(x, [...prefix, k], out);
  return out;
}

/** Applies `count` corruptions in place (replace a value, delete a key, empty a list) and returns the document. */
export function corrupt(doc: unknown, r: Rand, count: number): unknown {
  let root = doc;
  for (let n = 0; n < count; n++) {
    const all = paths(root);
    const path = pick(r, all);
    if (path.length === 0) {
      root = oddValue(r);
      continue;
    }
    let parent = root as Record<string | number, unknown>;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    const action = r();
    if (action < 0.2 && !Array.isArray(parent)) delete parent[last];
    else if (action < 0.25 && Array.isArray(parent[last])) (parent[last] as unknown[]).length = 0;
    else parent[last] = oddValue(r);
  }
  return root;
}

/** Text damage: a cut at a random place, a garbled byte run, or nothing. */
export function damageText(text: string, r: Rand): string {
  const x = r();
  if (x < 0.25) return text.slice(0, Math.floor(r() * text.length));
  if (x < 0.35) {
    const at = Math.floor(r() * text.length);
    return (
      text.slice(0, at) +
      pick(r, ['\u0000', '\t', ': :', '{', ']', '\ufffd', '&a *a', '!!binary', '---\n', '"']) +
      text.slice(at + 1)
    );
  }
  return text;
}
