// Shell completion through kubectl's plugin completion (kubectl >= 1.26). For `kubectl job a b c<TAB>`
// kubectl runs the executable `kubectl_complete-job` found on PATH with the words after the plugin
// name, the last one being the word to complete (empty for a new word), and reads stdout: one
// candidate per line (`value<TAB>description`), optionally followed by `:<n>`, a cobra
// ShellCompDirective. Its stderr goes to the terminal, so this stays silent.
// (kubernetes staging/src/k8s.io/kubectl/pkg/cmd/plugin/plugin_completion.go)
//
// bin/kubectl_complete-job runs `kubectl-job __complete WORD...`, which main() routes here.
// Subcommands and flags come from the commander program; names come from the cluster (or the
// --snapshot file) the typed flags point at, with short timeouts and no output on failure.
import type { Command, Option } from 'commander';
import {
  clusterLookup,
  clusterLookupIn,
  LOOKUP_TIMEOUT_MS,
  type CompletionKind as Kind,
  type Lookup,
  type NamedObject,
} from '../cluster/completion-lookups.js';
import type { SourceFlags } from '../cluster/open.js';
import { valuesOf } from './flag-values.js';
import { globalFlagSet } from './flags.js';
import { parseTarget } from './target.js';

/** cobra's ShellCompDirective bits. */
export const Directive = {
  Default: 0,
  Error: 1,
  NoSpace: 2,
  NoFileComp: 4,
  FilterFileExt: 8,
  FilterDirs: 16,
  KeepOrder: 32,
} as const;

/** What to print: candidates (`value` or `value\tdescription`) and a directive. */
export interface Completion {
  candidates: string[];
  directive: number;
}

// The lookups (and their types) live in cluster/, which owns kubeconfig and HTTP.
export { clusterLookup, LOOKUP_TIMEOUT_MS, type Lookup, type NamedObject };

/** Answers kubectl's completion request: prints candidates and the directive; always exit code 0. */
export async function complete(
  program: Command,
  words: string[],
  out: { write(s: string): unknown },
  env: NodeJS.ProcessEnv,
): Promise<number> {
  // stderr reaches the user's prompt: no process warnings while completing.
  const listeners = process.listeners('warning');
  process.removeAllListeners('warning');
  let result: Completion;
  try {
    result = await completions(program, words, clusterLookupIn(env));
  } catch {
    result = { candidates: [], directive: Directive.NoFileComp };
  } finally {
    for (const l of listeners) process.on('warning', l);
  }
  out.write(formatCompletion(result));
  return 0;
}

/** The stdout kubectl expects. */
export function formatCompletion(c: Completion): string {
  return `${c.candidates.map((x) => `${x.replace(/\n/g, ' ')}\n`).join('')}:${c.directive}\n`;
}

interface Parsed {
  /** The subcommand, or the program itself when none has been typed yet. */
  cmd: Command;
  /** Option values typed so far, by attribute name (last one wins). */
  values: Record<string, string | true>;
  /** Positional arguments typed so far (after the subcommand). */
  positionals: string[];
  /** The option whose value is the word being completed (`-n <TAB>`). */
  pendingValue?: Option;
  /** True after `--`: everything is positional. */
  afterDashDash: boolean;
}

/** Completions for `kubectl job WORDS...` where the last word is the one being completed. */
export async function completions(
  program: Command,
  words: string[],
  lookup: Lookup = clusterLookup,
): Promise<Completion> {
  const toComplete = words.length > 0 ? words[words.length - 1]! : '';
  const p = parseWords(program, words.slice(0, -1));
  const none: Completion = { candidates: [], directive: Directive.NoFileComp };
  if (!p) return none;

  if (p.pendingValue) return optionValues(p.pendingValue, toComplete, '', p, lookup);
  if (!p.afterDashDash && toComplete.startsWith('-')) {
    const eq = toComplete.indexOf('=');
    if (toComplete.startsWith('--') && eq > 0) {
      const opt = findOption(p.cmd === program ? globalFlagSet() : p.cmd, toComplete.slice(0, eq));
      return opt && !opt.isBoolean()
        ? optionValues(opt, toComplete.slice(eq + 1), toComplete.slice(0, eq + 1), p, lookup)
        : none;
    }
    // Before the subcommand: the global flags, then the program's own (--version).
    const flags =
      p.cmd === program
        ? [...flagCandidates(globalFlagSet(), toComplete, true), ...flagCandidates(program, toComplete, true, false)]
        : flagCandidates(p.cmd, toComplete);
    return { candidates: filter(flags, toComplete), directive: Directive.NoFileComp };
  }
  if (p.cmd === program) {
    const subs = visibleCommands(program).map((c) => withDescription(c.name(), c.summary() || c.description()));
    return { candidates: filter(subs, toComplete), directive: Directive.NoFileComp };
  }
  const args = p.cmd.registeredArguments;
  const last = args[args.length - 1];
  const arg = args[p.positionals.length] ?? (last?.variadic ? last : undefined);
  if (!arg) return none;
  const values = valuesOf(arg);
  if (values?.values !== 'objects') return none;
  const kinds = [...values.kinds];
  return {
    candidates: objectCandidates(await lookup.objects(kinds, sourceFlags(p)), kinds, '', toComplete),
    directive: Directive.NoFileComp,
  };
}

/** Walks the typed words: finds the subcommand, option values and positionals. Undefined if the subcommand is unknown. */
function parseWords(program: Command, words: string[]): Parsed | undefined {
  const p: Parsed = { cmd: program, values: {}, positionals: [], afterDashDash: false };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (p.afterDashDash) {
      p.positionals.push(w);
      continue;
    }
    if (w === '--') {
      p.afterDashDash = true;
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      const eq = w.indexOf('=');
      const name = w.startsWith('--') && eq > 0 ? w.slice(0, eq) : /^-[^-]./.test(w) ? w.slice(0, 2) : w;
      // Before the subcommand only the global flags are taken (main() moves them after it).
      const opt = findOption(p.cmd.parent === null ? globalFlagSet() : p.cmd, name);
      if (!opt) continue;
      if (opt.isBoolean() || opt.negate) {
        p.values[opt.attributeName()] = true;
      } else if (name !== w) {
        p.values[opt.attributeName()] = w.startsWith('--') ? w.slice(eq + 1) : w.slice(2);
      } else if (i + 1 < words.length) {
        // An optional value (`[v]`) is only taken when the next word is not a flag, as commander does.
        const next = words[i + 1]!;
        if (opt.required || !next.startsWith('-')) {
          p.values[opt.attributeName()] = next;
          i++;
        } else {
          p.values[opt.attributeName()] = true;
        }
      } else if (opt.required) {
        p.pendingValue = opt;
      }
      continue;
    }
    if (p.cmd.parent === null) {
      const sub = visibleCommands(p.cmd).find((c) => c.name() === w || c.aliases().includes(w));
      if (!sub) return undefined;
      p.cmd = sub;
      continue;
    }
    p.positionals.push(w);
  }
  return p;
}

/** The subcommands help lists (commander's own choice; its implicit `help` command left out). */
function visibleCommands(program: Command): Command[] {
  return program
    .createHelp()
    .visibleCommands(program)
    .filter((c) => program.commands.includes(c));
}

/** The command's visible options (commander keeps the help flag apart: see flagCandidates). */
function allOptions(cmd: Command): Option[] {
  return cmd.options.filter((o) => !o.hidden);
}

function findOption(cmd: Command, flag: string): Option | undefined {
  return allOptions(cmd).find((o) => o.long === flag || o.short === flag);
}

/** `--long` for every flag; short forms too when only `-` has been typed (as cobra does). */
function flagCandidates(cmd: Command, toComplete: string, topLevel = false, withHelp = true): string[] {
  const out: string[] = [];
  const help = {
    long: '--help',
    short: '-h',
    description: `help for ${topLevel || !cmd.parent ? 'kubectl job' : cmd.name()}`,
  };
  for (const o of [...allOptions(cmd), ...(withHelp ? [help] : [])]) {
    const desc = firstLine(o.description);
    if (o.long) out.push(withDescription(o.long, desc));
    if (o.short && (toComplete === '-' || !o.long)) out.push(withDescription(o.short, desc));
  }
  return out;
}

/** Values of one option, from where its declaration says they come from (flag-values.ts). */
async function optionValues(
  opt: Option,
  toComplete: string,
  prefix: string,
  p: Parsed,
  lookup: Lookup,
): Promise<Completion> {
  const offer = (values: string[]): Completion => ({
    candidates: filter(
      values.map((v) => prefix + v),
      prefix + toComplete,
    ),
    directive: Directive.NoFileComp,
  });
  const values = valuesOf(opt) ?? { values: 'none' };
  const flags = sourceFlags(p);
  switch (values.values) {
    case 'choices':
      return offer([...values.choices]);
    case 'namespaces':
      return offer(await lookup.namespaces(flags));
    case 'contexts':
    case 'clusters':
    case 'users':
      return offer(await lookup.kubeconfigNames(values.values, flags));
    case 'files':
      // Let the shell complete file names.
      return { candidates: [], directive: Directive.Default };
    case 'objects':
      // `--from <cronjob>`: an object, like an object argument.
      return {
        candidates: objectCandidates(await lookup.objects([...values.kinds], flags), values.kinds, prefix, toComplete),
        directive: Directive.NoFileComp,
      };
    case 'none':
      return { candidates: [], directive: Directive.NoFileComp };
  }
}

/**
 * Candidates for an object argument. With a `TYPE/` prefix typed, names of that kind keep it;
 * for a single kind bare names; for both kinds `cronjob/NAME` and `job/NAME` (a bare name is
 * ambiguous), plus bare names once something has been typed.
 */
function objectCandidates(
  objects: NamedObject[],
  kinds: readonly Kind[],
  prefix: string,
  toComplete: string,
): string[] {
  const offer = (names: string[]) =>
    filter(
      names.map((n) => prefix + n),
      prefix + toComplete,
    );
  const slash = toComplete.indexOf('/');
  if (slash >= 0) {
    const type = toComplete.slice(0, slash);
    let kind: Kind | undefined;
    try {
      kind = parseTarget(`${type}/x`, [...kinds]).kind;
    } catch {
      return [];
    }
    return offer(objects.filter((o) => o.kind === kind).map((o) => withDescription(`${type}/${o.name}`, o.detail)));
  }
  const bare = objects.map((o) => withDescription(o.name, o.detail));
  if (kinds.length === 1) return offer(bare);
  const typed = objects.map((o) => withDescription(`${o.kind.toLowerCase()}/${o.name}`, o.detail));
  return dedupe(offer(toComplete ? [...bare, ...typed] : typed));
}

/** The connection and snapshot flags typed so far, with a short request timeout unless one was given. */
function sourceFlags(p: Parsed): SourceFlags {
  const v = p.values;
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const flags: SourceFlags = {
    namespace: str('namespace'),
    kubeconfig: str('kubeconfig'),
    context: str('context'),
    cluster: str('cluster'),
    user: str('user'),
    server: str('server'),
    token: str('token'),
    insecureSkipTlsVerify: v.insecureSkipTlsVerify === true ? true : undefined,
    as: str('as'),
    asUid: str('asUid'),
    certificateAuthority: str('certificateAuthority'),
    clientCertificate: str('clientCertificate'),
    clientKey: str('clientKey'),
    tlsServerName: str('tlsServerName'),
    username: str('username'),
    password: str('password'),
    requestTimeout: str('requestTimeout') ?? `${LOOKUP_TIMEOUT_MS}ms`,
    snapshot: str('snapshot'),
  };
  return flags;
}

function withDescription(value: string, description?: string): string {
  return description ? `${value}\t${firstLine(description)}` : value;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

function filter(candidates: string[], prefix: string): string[] {
  return candidates.filter((c) => c.startsWith(prefix));
}

function dedupe(candidates: string[]): string[] {
  return [...new Set(candidates)];
}
