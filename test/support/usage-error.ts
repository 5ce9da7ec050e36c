// The check every parse table makes of a refused input: a UsageError (exit 2) with exactly this message.
import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.js';

/** Asserts that `fn` throws a UsageError whose message is exactly `message`. */
export function assertUsageError(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof UsageError, String(e));
    assert.equal(e.message, message);
    return true;
  });
}
