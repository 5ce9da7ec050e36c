// kubectl job suspend: the counterpart of unsuspend (same flags, same guarded patch).
import type { Command } from 'commander';
import type { Registration } from './define.js';
import { registerSetSuspend } from './unsuspend.js';

/** Registers `suspend`. */
export function registerSuspend(program: Command, reg: Registration): void {
  registerSetSuspend(program, reg, true);
}
