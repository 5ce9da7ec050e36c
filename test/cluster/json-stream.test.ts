import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotStreamable, streamJsonObject, type ReadBytes } from '../../src/cluster/json-stream.js';
import { pick, rng, type Rand } from '../support/fuzz.js';

/** Reads `text` as UTF-8 bytes, at most `step` bytes a call (a function of the call number when given one). */
function reader(text: string, step: number | ((call: number) => number)): ReadBytes {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  let call = 0;
  return (buf, offset, length) => {
    const want = typeof step === 'number' ? step : step(call++);
    const n = Math.min(length, Math.max(1, want), bytes.length - at);
    bytes.copy(buf, offset, at, at + n);
    at += n;
    return n;
  };
}

/** The whole object as the stream gives it back: the array's elements put back under their key. */
function streamed(text: string, step: number | ((call: number) => number), chunk?: number): unknown {
  const items: unknown[] = [];
  const indexes: number[] = [];
  const { rest, hasArray } = streamJsonObject(
    reader(text, step),
    'items',
    (v, i) => {
      items.push(v);
      indexes.push(i);
    },
    chunk,
  );
  assert.deepEqual(
    indexes,
    items.map((_, i) => i),
    'the callback gets the elements in order, numbered from 0',
  );
  return hasArray ? { ...rest, items } : rest;
}

/** JSON.parse of the text with `items` moved to the end (the stream returns the other members first). */
function parsed(text: string): unknown {
  const o = JSON.parse(text) as Record<string, unknown>;
  if (!('items' in o)) return o;
  const { items, ...rest } = o;
  return { ...rest, items };
}

const tricky = [
  '{"items":[]}',
  '{}',
  ' \t\r\n{ \n"items" :\t[ {"a":"}"} , {"b":"]"},{"c":"{["}, "\\"}]", "\\\\", "\\\\\\"", "x\\\\"] , "k" : 1 }\n ',
  '{"items":[[[[]]],[[1,[2,[3]]],{}],{"n":{"m":[{"o":[]}]}}],"capturedAt":"2026-11-23T08:00:00Z"}',
  '{"k":"é漢字😀\\ud83d\\ude00\\u0000\\n\\t\\/","items":["ü","\\u007b\\u005d","😀😀😀"],"z":[true,false,null,-1.5e+10,0]}',
  '{"\\u0069tems":[1,2],"other":{"items":"not this one"}}',
  '{"a":1,"a":2,"items":[{"a":1,"a":3}]}',
  '{"items":[1],"__proto__":{"x":1}}',
  '{"items" : [ "a" ,"b" ]  ,  "x" : [ ]  }',
];

test('tricky documents stream to what JSON.parse gives, whatever the read sizes', () => {
  for (const text of tricky) {
    for (const step of [1, 2, 3, 5, 7, 64, 1 << 20]) {
      for (const chunk of [1, 4, 16, 1 << 16]) {
        assert.deepEqual(streamed(text, step, chunk), parsed(text), `${text} read ${step} at a time, buffer ${chunk}`);
      }
    }
  }
});

test('a multi-byte character split across reads is decoded once, not as replacement characters', () => {
  const text = '{"items":["😀é漢"],"k":"😀"}';
  for (let step = 1; step <= 8; step++) assert.deepEqual(streamed(text, step, 2), { k: '😀', items: ['😀é漢'] });
});

test('a value longer than the buffer grows it', () => {
  const long = 'x'.repeat(100_000);
  const text = JSON.stringify({ items: [{ long }, [long, long]], long });
  assert.deepEqual(streamed(text, 1000, 16), parsed(text));
});

const notStreamable = [
  '',
  '   ',
  '{',
  '{,',
  '[]',
  '[{"items":[]}]',
  '"items"',
  '1',
  'null',
  '\ufeff{"items":[]}',
  '{"items":{}}',
  '{"items":null}',
  '{"items":[],"items":[]}',
  '{"items":[1,]}',
  '{"items":[,1]}',
  '{"items":[1 2]}',
  '{"a":1,}',
  '{,}',
  '{"a" 1}',
  '{"a":1 "b":2}',
  '{a:1}',
  "{'a':1}",
  '{"items":[]}x',
  '{"items":[]} {}',
  '{"items":[tru]}',
  '{"items":[01]}',
  '{"a":"\t"}',
  '{"a":"\\x"}',
  '{"items":[{"a":1]}]}',
  '{"items":[[}]]}',
  '{"a":1}}',
  '{"items":[NaN]}',
  '{"a":.5}',
];

test('documents that are not one valid JSON object, or whose items are not one array, are NotStreamable', () => {
  for (const text of notStreamable) {
    for (const step of [1, 3, 1 << 20]) {
      assert.throws(() => streamed(text, step, 4), NotStreamable, JSON.stringify(text));
    }
  }
});

test('every truncation of a document is NotStreamable', () => {
  const text =
    '{"apiVersion":"v1","items":[{"kind":"Job","s":"a\\"}]","n":[1,[2]]}, 3, "é"],"capturedAt":"2026-11-23T08:00:00Z"}';
  const bytes = Buffer.from(text, 'utf8');
  for (let end = 0; end < bytes.length; end++) {
    const cut = bytes.subarray(0, end).toString('utf8');
    assert.throws(() => streamed(cut, 3, 8), NotStreamable, `cut at byte ${end}: ${cut}`);
  }
  assert.deepEqual(streamed(text, 3, 8), parsed(text));
});

// Seeded property test: random JSON (strings full of the scanner's special characters, escapes,
// unicode, nesting, numbers, whitespace) streams to what JSON.parse gives; damaged copies either
// stream to that or are NotStreamable, and are NotStreamable whenever JSON.parse rejects them.
const SPECIAL = [
  '{',
  '}',
  '[',
  ']',
  '"',
  '\\',
  ',',
  ':',
  ' ',
  '\n',
  'a',
  'é',
  '漢',
  '😀',
  '\u0000',
  '\u2028',
  '\ud800',
  '/',
];

function randomString(r: Rand): string {
  return Array.from({ length: Math.floor(r() * 8) }, () => pick(r, SPECIAL)).join('');
}

function randomValue(r: Rand, depth: number): unknown {
  const x = r();
  if (depth > 3 || x < 0.35) {
    return pick(r, [
      () => randomString(r),
      () => Math.floor(r() * 2000) - 1000,
      () => r() * 1e6,
      () => -r() * 1e-9,
      () => true,
      () => false,
      () => null,
    ])();
  }
  if (x < 0.65) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
  // No nested `items` keys: then a valid document never has the top-level key twice (which the stream turns down).
  return Object.fromEntries(
    Array.from({ length: Math.floor(r() * 4) }, () => [
      pick(r, ['item', 'k', randomString(r)]),
      randomValue(r, depth + 1),
    ]),
  );
}

/** JSON text with random whitespace after tokens (strings, numbers and literals left whole). */
function withWhitespace(json: string, r: Rand): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    out += c;
    let between = false; // after a token, where JSON allows whitespace
    if (inString) {
      if (c === '\\') out += json[++i];
      else if (c === '"') {
        inString = false;
        between = true;
      }
    } else if (c === '"') inString = true;
    else between = '{}[],:'.includes(c);
    if (between && r() < 0.2) out += pick(r, [' ', '\n', '\t', '\r\n', '  ']);
  }
  return out;
}

function damage(text: string, r: Rand): string {
  const at = Math.floor(r() * (text.length + 1));
  switch (Math.floor(r() * 4)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1);
    case 2:
      return text.slice(0, at) + pick(r, ['{', '}', '[', ']', '"', '\\', ',', ':', 'x', '1']) + text.slice(at);
    default:
      return text.slice(0, at) + text.slice(at + 1, at + 2) + text.slice(at, at + 1) + text.slice(at + 2);
  }
}

test('seeded property test: random documents stream as JSON.parse reads them; damaged ones never differ', () => {
  const r = rng(20261201);
  let valid = 0;
  let rejected = 0;
  for (let n = 0; n < 1500; n++) {
    const doc: Record<string, unknown> = {
      ...(randomValue(r, 2) as object),
      items: Array.from({ length: Math.floor(r() * 5) }, () => randomValue(r, 1)),
    };
    if (r() < 0.3) doc.k = randomValue(r, 1);
    let text = withWhitespace(JSON.stringify(doc), r);
    const step = pick(r, [1, 2, 7, 33, 1 << 20]);
    const chunk = pick(r, [1, 8, 64, 1 << 16]);
    const damaged = r() < 0.5;
    // A file holds bytes: a lone surrogate the damage leaves in the text is U+FFFD once written.
    if (damaged) text = Buffer.from(damage(text, r), 'utf8').toString('utf8');
    let expected: unknown;
    let parses = true;
    try {
      expected = JSON.parse(text);
    } catch {
      parses = false;
    }
    const shapeOk =
      parses &&
      typeof expected === 'object' &&
      expected !== null &&
      !Array.isArray(expected) &&
      (!('items' in expected) || Array.isArray((expected as Record<string, unknown>).items));
    try {
      const got = streamed(text, step, chunk);
      assert.ok(parses, `streamed a document JSON.parse rejects: ${JSON.stringify(text)}`);
      assert.deepEqual(got, parsed(text), JSON.stringify(text));
      valid++;
    } catch (e) {
      if (!(e instanceof NotStreamable)) throw e;
      assert.ok(!shapeOk, `NotStreamable for a valid document: ${JSON.stringify(text)}`);
      rejected++;
    }
  }
  assert.ok(valid > 600 && rejected > 300, `valid ${valid}, rejected ${rejected}: both kinds are exercised`);
});
