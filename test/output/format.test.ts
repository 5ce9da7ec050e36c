import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOutputFormat, toJson, toYaml } from '../../src/output/format.js';
import { UsageError } from '../../src/errors.js';
import { renderTable } from '../../src/output/table.js';
import { makeStyle } from '../../src/output/style.js';

test('unknown -o values list the allowed formats, as kubectl does', () => {
  assert.equal(parseOutputFormat(undefined, ['json']), 'text');
  assert.equal(parseOutputFormat('JSON', ['json', 'yaml']), 'json');
  assert.throws(
    () => parseOutputFormat('xml', ['json', 'yaml']),
    (e: unknown) =>
      e instanceof UsageError &&
      e.message === 'unable to match a printer suitable for the output format "xml", allowed formats are: json,yaml',
  );
});

test('json and yaml printers', () => {
  assert.equal(toJson({ a: 1 }), '{\n  "a": 1\n}\n');
  assert.equal(toYaml({ a: [1, 'x'] }), 'a:\n  - 1\n  - x\n');
});

test('tables are kubectl-like: upper-case headers, three-space gaps, no truncation, no trailing spaces', () => {
  const t = renderTable(
    ['name', 'age'],
    [
      ['a-very-long-name-that-is-not-cut', '5m'],
      ['b', '10d'],
    ],
    makeStyle({}, 'never'),
  );
  assert.equal(
    t,
    'NAME                               AGE\na-very-long-name-that-is-not-cut   5m\nb                                  10d\n',
  );
});
