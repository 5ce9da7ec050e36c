// The flags every subcommand accepts, as kubectl plugins are expected to (krew best practice):
// connection flags, namespace, snapshot input, the clock, and colour.
import { Command as CommandCtor, Option, type Command } from 'commander';
import type { SourceFlags } from '../cluster/open.js';
import type { ColorMode } from '../output/style.js';

/** Parsed global flags. */
export interface GlobalFlags extends SourceFlags {
  now?: string;
  color: ColorMode;
  controllerTimeZone: string;
  /** Every --context given, in order and without repeats (`context` holds the last, as kubectl takes it). */
  contexts?: string[];
}

/**
 * Adds the global flags to a command. Each subcommand carries them so they may follow it; given
 * before the subcommand (`kubectl job -n prod why backup`), main() moves them after it (see
 * hoistGlobalFlags).
 */
export function addGlobalFlags(cmd: Command): Command {
  return cmd
    .option('-n, --namespace <ns>', 'namespace (default: the context\'s namespace, or "default")')
    .option('--kubeconfig <file>', 'path to the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'the kubeconfig context to use (why --all takes it several times)', collect)
    .option('--cluster <name>', 'the kubeconfig cluster to use')
    .option('--user <name>', 'the kubeconfig user to use')
    .option('-s, --server <url>', 'the address of the Kubernetes API server')
    .option('--token <token>', 'bearer token for authentication')
    .option('--username <name>', 'username for basic authentication')
    .option('--password <password>', 'password for basic authentication')
    .option('--client-certificate <file>', 'path to a client certificate file for TLS')
    .option('--client-key <file>', 'path to a client key file for TLS')
    .option('--certificate-authority <file>', 'path to a CA certificate file to verify the server with')
    .option('--tls-server-name <name>', 'server name to verify the server certificate against (default: the server\'s host)')
    .option('--insecure-skip-tls-verify', 'do not verify the server certificate')
    .option('--as <user>', 'impersonate this user')
    .option('--as-group <group>', 'impersonate this group (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--as-uid <uid>', 'impersonate this UID')
    .option('--request-timeout <duration>', 'per-request timeout: seconds, or a Go duration such as 30s or 1m30s (0 = none)', '0')
    .option('--snapshot <file>', 'read objects from a file saved with `kubectl get cronjobs,jobs,pods,events -o yaml` (or `kubectl job snapshot`) instead of a cluster; - for stdin')
    .option('--now <time>', 'evaluate as if the time were this RFC 3339 instant (default: the snapshot\'s capture time, else the clock)')
    .option('--controller-time-zone <zone>', 'time zone of kube-controller-manager, used for CronJobs without .spec.timeZone', 'UTC')
    .addOption(new Option('--color <when>', 'colour output').choices(['auto', 'always', 'never']).default('auto'));
}

function collect(value: string, previous: unknown): string[] {
  return [...(Array.isArray(previous) ? previous : []), value];
}

/**
 * The repeatable --context as commander collected it: `context` is the last one (what a command
 * reading one cluster uses, as kubectl's last flag wins), `contexts` every distinct non-empty one in order.
 */
export function splitContexts(value: unknown): { context?: string; contexts: string[] } {
  const all = (Array.isArray(value) ? value : typeof value === 'string' ? [value] : []).filter((v): v is string => typeof v === 'string');
  return { context: all.at(-1), contexts: [...new Set(all.filter((v) => v !== ''))] };
}

/**
 * kubectl's plugins take global flags anywhere after the plugin name: moves the global flags that
 * come before the subcommand to just after it, where commander reads them (flags written after
 * the subcommand still win, being later). Anything else before the subcommand is left in place,
 * so an unknown flag is still reported as one.
 */
export function hoistGlobalFlags(args: string[], globals?: Command): string[] {
  // The usual run starts with the subcommand: nothing to move, and no flag table to build.
  if (!args[0]?.startsWith('-')) return args;
  globals ??= globalFlagSet();
  const leading: string[] = [];
  let i = 0;
  while (i < args.length) {
    const a = args[i]!;
    if (a === '--' || !a.startsWith('-') || a === '-') break;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') ? (eq > 0 ? a.slice(0, eq) : a) : a.slice(0, 2);
    const opt = globals.options.find((o) => o.long === name || o.short === name);
    if (!opt) return args;
    const inline = a.startsWith('--') ? eq > 0 : a.length > 2;
    if (opt.required && !inline) {
      if (i + 1 >= args.length) return args;
      leading.push(a, args[i + 1]!);
      i += 2;
    } else {
      leading.push(a);
      i += 1;
    }
  }
  if (leading.length === 0 || i >= args.length || args[i] === '--') return args;
  return [args[i]!, ...leading, ...args.slice(i + 1)];
}

let globalSet: Command | undefined;
/** A command holding only the global flags, to look them up by name. */
export function globalFlagSet(): Command {
  return (globalSet ??= addGlobalFlags(new CommandCtor()));
}
