// The list of subcommands, in the order help shows them.
import type { Command } from 'commander';
import type { Registration } from './define.js';
import { registerNext } from './next.js';
import { registerWhy } from './why.js';
import { registerMisses } from './misses.js';
import { registerSnapshot } from './snapshot.js';
import { registerTrigger } from './trigger.js';
import { registerWait } from './wait.js';
import { registerUnsuspend } from './unsuspend.js';
import { registerSuspend } from './suspend.js';
import { registerLogs } from './logs.js';
import { registerClean } from './clean.js';
import { registerCompletion } from './completion.js';

/** Registers one subcommand on the program. */
export type Register = (program: Command, reg: Registration) => void;

/** Every subcommand by name, in help order. */
export const commands: Array<[name: string, register: Register]> = [
  ['why', registerWhy],
  ['misses', registerMisses],
  ['next', registerNext],
  ['snapshot', registerSnapshot],
  ['trigger', registerTrigger],
  ['wait', registerWait],
  ['unsuspend', registerUnsuspend],
  ['suspend', registerSuspend],
  ['logs', registerLogs],
  ['clean', registerClean],
  ['completion', registerCompletion],
];
