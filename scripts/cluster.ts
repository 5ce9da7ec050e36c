// `npm run cluster`: the e2e harness's local cluster in the foreground, for trying
// kubectl-job on real pods. etcd, kube-apiserver, kube-controller-manager, kube-scheduler
// and a real node (kubelet + containerd; needs root). Prints KUBECONFIG=<path> and
// IMAGE=<reference> on stdout once the node is Ready; SIGINT/SIGTERM stop everything and
// undo the node's host changes. Progress and errors go to stderr.
import { startControlPlane } from '../test/e2e/harness/index.js';

const started = Date.now();
process.stderr.write('cluster: starting (the first run builds the Kubernetes binaries, which takes minutes)\n');
let cp: Awaited<ReturnType<typeof startControlPlane>>;
try {
  cp = await startControlPlane({ timeoutMs: 120_000 });
} catch (e) {
  process.stderr.write(`cluster: ${(e as Error).message}\n`);
  process.exit(3);
}
process.stdout.write(`KUBECONFIG=${cp.kubeconfigPath}\nIMAGE=${cp.image}\n`);
process.stderr.write(
  `cluster: node ${cp.node?.nodeName} Ready after ${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${cp.logsDir}; Ctrl-C stops it\n`,
);

let stopping = false;
const stop = async (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`cluster: ${signal}: stopping\n`);
  await cp.stop();
  process.stderr.write('cluster: stopped\n');
  process.exit(0);
};
// Replace the harness's last-resort handlers (kill and re-raise) by an orderly stop; its
// 'exit' hook stays as the fallback.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => void stop(signal));
}
setInterval(() => {}, 1 << 30);
