// YAML reading for the files the tool is given (snapshots, kubeconfigs): errors become one
// line with a line and column, never the parser's excerpt of the file (which would print a
// token or a password sitting near the error), and parser warnings are not printed.
import { parseAllDocuments, parseDocument, type YAMLError } from 'yaml';

/** A YAML syntax or structure error: `line:col: message`. */
export class YamlReadError extends Error {
  constructor(
    readonly line: number | undefined,
    readonly col: number | undefined,
    readonly reason: string,
  ) {
    super(line !== undefined ? `line ${line}, column ${col}: ${reason}` : reason);
  }
}

function toError(text: string, e: YAMLError): YamlReadError {
  const offset = e.pos?.[0];
  const reason = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  if (offset === undefined) return new YamlReadError(undefined, undefined, reason);
  const before = text.slice(0, offset);
  const line = (before.match(/\n/g)?.length ?? 0) + 1;
  return new YamlReadError(line, offset - (before.lastIndexOf('\n') + 1) + 1, reason);
}

const OPTIONS = { prettyErrors: false, logLevel: 'silent' } as const;

/** One document as plain data (YAML 1.1 when asked, as Go's reader); throws YamlReadError. */
export function readYaml(text: string, version: '1.1' | '1.2' = '1.2'): unknown {
  const doc = parseDocument(text, { ...OPTIONS, version });
  if (doc.errors[0]) throw toError(text, doc.errors[0]);
  return doc.toJS({ maxAliasCount: 100 });
}

/** Every document of a stream as plain data; throws YamlReadError. */
export function readYamlDocuments(text: string): unknown[] {
  const out: unknown[] = [];
  for (const d of parseAllDocuments(text, OPTIONS)) {
    if (!('errors' in d)) continue; // an empty stream
    if (d.errors[0]) throw toError(text, d.errors[0]);
    out.push(d.toJS({ maxAliasCount: 100 }));
  }
  return out;
}
