// The stderr line of a command that answered without some forbidden reads.
import type { Unreadable } from '../cluster/unreadable.js';
import { unreadableSummary } from '../explain/unreadable.js';
import type { RunContext } from './context.js';

/** Warns once on stderr when some reads were forbidden. */
export function reportUnreadable(ctx: RunContext, unreadable: Unreadable[]): void {
  const line = unreadableSummary(unreadable);
  if (line) ctx.warn(line);
}
