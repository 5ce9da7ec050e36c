// kubectl-style tables: upper-case headers, columns separated by three spaces, no borders.
// Never truncates (pipes get every character); colour is applied after padding.
import Table from 'cli-table3';
import type { Tone } from '../explain/types.js';
import type { Style } from './style.js';

/** Renders rows as an aligned, borderless table; `tones` colours whole rows. */
export function renderTable(
  head: string[],
  rows: string[][],
  style: Style,
  tones?: Array<Tone | undefined>,
  indent = '',
): string {
  const table = new Table({
    head: head.map((h) => style.bold(h.toUpperCase())),
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: indent,
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '   ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    wordWrap: false,
  });
  for (const [i, r] of rows.entries()) table.push(r.map((cell) => style.tone(tones?.[i], cell)));
  return `${table
    .toString()
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')}\n`;
}
