// kubectl job suspend: the counterpart of unsuspend (same flags, same guarded patch).
import type { Command } from 'commander';
import type { RawInput, Registration } from './define.js';
import { parseSetSuspend, registerSetSuspend, type SetSuspendOptions, type SuspendFlags } from './unsuspend.js';

/** Registers `suspend`. */
export function registerSuspend(program: Command, reg: Registration): void {
  registerSetSuspend(program, reg, true);
}

/** Validates what was typed for `suspend` (pure). */
export function parseSuspend(input: RawInput<SuspendFlags>): SetSuspendOptions {
  return parseSetSuspend(input, true);
}
