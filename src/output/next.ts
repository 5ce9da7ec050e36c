// Prints the `next` table.
import type { NextExplained } from '../explain/next.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';

/** Text form of `next`. */
export function renderNext(x: NextExplained, style: Style): string {
  let s = `${style.bold(x.title)}\n`;
  s += x.table.rows.length ? renderTable(x.table.head, x.table.rows, style) : '(no run time)\n';
  for (const n of x.notes) s += `${style.dim(`note: ${n}`)}\n`;
  return s;
}
