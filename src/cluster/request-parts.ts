// The pieces of a request built from user input: a path segment, a field-selector value, a
// label selector. Each is checked or escaped so that no name can change which request is sent.
import { UsageError } from '../errors.js';

/** A name or namespace as one URL path segment ("." and ".." would climb the path). */
export function segment(value: string, what = 'name'): string {
  if (value === '' || value === '.' || value === '..') throw new UsageError(`invalid ${what} ${JSON.stringify(value)}`);
  return encodeURIComponent(value);
}

/** A field-selector value with `\`, `,` and `=` escaped, as the API server's field selector parser expects. */
export function fieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** True when `value` may appear as a label value in a selector (at most 63 characters of [-A-Za-z0-9_.]). */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

const NAME = '[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?';
const KEY = new RegExp(`^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?${NAME}$`);

/** One requirement of a label selector. */
export type LabelRequirement =
  | { key: string; op: 'exists' | '!exists' }
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] };

/** Parses a label selector as kubectl's -l accepts it (a=b, a==b, a!=b, a, !a, a in (x,y), a notin (x)); UsageError otherwise. */
export function parseLabelSelector(selector: string, flag = '-l'): LabelRequirement[] {
  const out: LabelRequirement[] = [];
  const bad = (why: string) =>
    new UsageError(
      `invalid label selector for ${flag} ${JSON.stringify(selector)}: ${why}`,
      'use key=value, key!=value, key, !key, "key in (a,b)" or "key notin (a,b)", separated by commas',
    );
  const checkKey = (k: string) => {
    if (!KEY.test(k) || k.length > 317) throw bad(`${JSON.stringify(k)} is not a label key`);
    return k;
  };
  const checkValue = (v: string) => {
    if (!isLabelValue(v)) throw bad(`${JSON.stringify(v)} is not a label value`);
    return v;
  };
  // Split on commas outside parentheses.
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (depth < 0 || depth > 1) throw bad('unbalanced parentheses');
    if (i === selector.length || (c === ',' && depth === 0)) {
      terms.push(selector.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (depth !== 0) throw bad('unbalanced parentheses');
  if (selector.trim() === '') return [];
  for (const t of terms) {
    if (t === '') throw bad('an empty requirement');
    let m: RegExpExecArray | null;
    if ((m = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(t))) {
      const values = m[3]!.split(',').map((v) => v.trim());
      if (values.length === 1 && values[0] === '') throw bad(`"${m[2]}" needs at least one value`);
      out.push({ key: checkKey(m[1]!), op: m[2] as 'in' | 'notin', values: values.map(checkValue) });
    } else if ((m = /^([^!=\s]+)\s*(==|=|!=)\s*([^!=\s]*)$/.exec(t))) {
      out.push({ key: checkKey(m[1]!), op: m[2] === '!=' ? '!=' : '=', value: checkValue(m[3]!) });
    } else if ((m = /^!\s*([^!=\s]+)$/.exec(t))) {
      out.push({ key: checkKey(m[1]!), op: '!exists' });
    } else if (/^[^!=\s()]+$/.test(t)) {
      out.push({ key: checkKey(t), op: 'exists' });
    } else {
      throw bad(`cannot read "${t}"`);
    }
  }
  return out;
}

/** Whether labels satisfy every requirement. */
export function matchesLabels(reqs: LabelRequirement[], labels: Record<string, string>): boolean {
  return reqs.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    const v = labels[r.key];
    switch (r.op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case '=':
        return has && v === r.value;
      case '!=':
        return !has || v !== r.value;
      case 'in':
        return has && r.values.includes(v!);
      case 'notin':
        return !has || !r.values.includes(v!);
      default:
        return false;
    }
  });
}
