// The list of subcommands, in the order help shows them.
import type { Command } from 'commander';
import { registerNext } from './next.js';

/** Registers one subcommand on the program. */
export type Register = (program: Command, setCode: (code: number) => void) => void;

export const commands: Register[] = [registerNext];
