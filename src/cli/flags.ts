// The flags every subcommand accepts, as kubectl plugins are expected to (krew best practice):
// connection flags, namespace, snapshot input, the clock, and colour.
import { Option, type Command } from 'commander';
import type { SourceFlags } from '../cluster/open.js';
import type { ColorMode } from '../output/style.js';

/** Parsed global flags. */
export interface GlobalFlags extends SourceFlags {
  now?: string;
  color: ColorMode;
  controllerTimeZone: string;
}

/** Adds the global flags to a command (each subcommand carries them so they may follow it). */
export function addGlobalFlags(cmd: Command): Command {
  return cmd
    .option('-n, --namespace <ns>', 'namespace (default: the context\'s namespace, or "default")')
    .option('--kubeconfig <file>', 'path to the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'the kubeconfig context to use')
    .option('--cluster <name>', 'the kubeconfig cluster to use')
    .option('--user <name>', 'the kubeconfig user to use')
    .option('-s, --server <url>', 'the address of the Kubernetes API server')
    .option('--token <token>', 'bearer token for authentication')
    .option('--insecure-skip-tls-verify', 'do not verify the server certificate')
    .option('--as <user>', 'impersonate this user')
    .option('--as-group <group>', 'impersonate this group (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--request-timeout <duration>', 'per-request timeout, e.g. 30s (0 = none)', '0')
    .option('--snapshot <file>', 'read objects from a file saved with `kubectl get cronjobs,jobs,pods,events -o yaml` (or `kubectl job snapshot`) instead of a cluster; - for stdin')
    .option('--now <time>', 'evaluate as if the time were this RFC 3339 instant (default: the snapshot\'s capture time, else the clock)')
    .option('--controller-time-zone <zone>', 'time zone of kube-controller-manager, used for CronJobs without .spec.timeZone', 'UTC')
    .addOption(new Option('--color <when>', 'colour output').choices(['auto', 'always', 'never']).default('auto'));
}
