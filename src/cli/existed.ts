// --now names an instant to evaluate at; an object created after it did not exist then, and
// evaluating it there would answer about a state that never was. Say so instead.
import { UsageError } from '../errors.js';
import type { RunContext } from './context.js';

interface Dated {
  metadata: { name?: string; creationTimestamp?: string };
}

/** The creation time when it is after `now` (and --now was given), else undefined. */
export function createdAfterNow(ctx: RunContext, o: Dated, now: Date): Date | undefined {
  if (ctx.flags.now === undefined || !o.metadata.creationTimestamp) return undefined;
  const created = new Date(o.metadata.creationTimestamp);
  return created.getTime() > now.getTime() ? created : undefined;
}

/** A usage error when --now is before `kind`/name was created. */
export function requireExistedAt(ctx: RunContext, kind: string, o: Dated, now: Date): void {
  const created = createdAfterNow(ctx, o, now);
  if (created) {
    throw new UsageError(
      `--now ${ctx.flags.now} is before ${kind}/${o.metadata.name} existed (created ${o.metadata.creationTimestamp}): there is nothing to evaluate then`,
      'pass a --now after its creation, or leave --now out',
    );
  }
}
