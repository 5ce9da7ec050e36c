// kubectl job suspend: the counterpart of unsuspend (same flags, same guarded patch).
import type { Command } from 'commander';
import { registerSetSuspend } from './unsuspend.js';

/** Registers `suspend`. */
export function registerSuspend(program: Command, setCode: (c: number) => void): void {
  registerSetSuspend(program, setCode, true);
}
