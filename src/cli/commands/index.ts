// The list of subcommands, in the order help shows them.
import type { Command } from 'commander';
import { registerNext } from './next.js';
import { registerWhy } from './why.js';
import { registerMisses } from './misses.js';
import { registerSnapshot } from './snapshot.js';
import { registerTrigger } from './trigger.js';
import { registerUnsuspend } from './unsuspend.js';
import { registerSuspend } from './suspend.js';
import { registerLogs } from './logs.js';
import { registerClean } from './clean.js';
import { registerCompletion } from './completion.js';

/** Registers one subcommand on the program. */
export type Register = (program: Command, setCode: (code: number) => void) => void;

export const commands: Register[] = [
  registerWhy,
  registerMisses,
  registerNext,
  registerSnapshot,
  registerTrigger,
  registerUnsuspend,
  registerSuspend,
  registerLogs,
  registerClean,
  registerCompletion,
];
