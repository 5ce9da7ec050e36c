// The real node leaves the host as it found it: sysctls, iptables chains, links, network
// namespaces, mounts, cgroups, processes and files are the same after stop() as before
// start(), after a pod ran. And one node per machine: the lock file is held while it runs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { applyYaml, e2eSkipReason, podTemplate, startControlPlane, waitFor, withNamespace } from './harness/index.js';

const SYSCTLS = [
  'vm/overcommit_memory',
  'vm/panic_on_oom',
  'kernel/panic',
  'kernel/panic_on_oops',
  'kernel/keys/root_maxkeys',
  'kernel/keys/root_maxbytes',
  'net/ipv4/ip_forward',
];

function hostSnapshot() {
  const sh = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return '';
    }
  };
  const ls = (d: string) => (existsSync(d) ? readdirSync(d).sort() : null);
  return {
    sysctls: Object.fromEntries(SYSCTLS.map((s) => [s, readFileSync(`/proc/sys/${s}`, 'utf8').trim()])),
    iptables: ['filter', 'nat', 'mangle'].map((t) => sh('iptables', ['-w', '5', '-t', t, '-S'])),
    ip6tables: ['filter', 'nat', 'mangle'].map((t) => sh('ip6tables', ['-w', '5', '-t', t, '-S'])),
    links: sh('ip', ['-o', 'link', 'show'])
      .split('\n')
      .map((l) => l.split(':')[1]?.trim().split('@')[0])
      .filter(Boolean)
      .sort(),
    netns: ls('/run/netns'),
    mounts: readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[4])
      .filter(Boolean)
      .sort(),
    cgroups: readdirSync('/sys/fs/cgroup').flatMap((h) =>
      (ls(`/sys/fs/cgroup/${h}`) ?? [])
        .filter((d) => d === 'kubepods' || d.startsWith('kubepods'))
        .map((d) => `${h}/${d}`),
    ),
    processes: readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .map((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8');
        } catch {
          return '';
        }
      })
      .map((c) => c.split('\0')[0]!.split('/').pop()!)
      .filter((c) => /^(containerd|containerd-shim.*|kubelet|kube-scheduler|pause)$/.test(c))
      .sort(),
    paths: Object.fromEntries(
      [
        '/run/containerd',
        '/var/lib/cni',
        '/run/netns',
        '/var/log/containers',
        '/var/log/pods',
        '/var/lib/kubelet',
        '/var/lib/kubectl-job-e2e/node',
        '/etc/cni',
        '/opt/cni',
      ].map((p) => [p, existsSync(p)]),
    ),
  };
}

describe('real node host hygiene', { skip: e2eSkipReason() }, () => {
  test('after a pod ran, stop() restores sysctls and removes chains, links, netns, mounts, cgroups, processes and files', {
    timeout: 300_000,
  }, async () => {
    const before = hostSnapshot();
    const cp = await startControlPlane();
    try {
      const during = hostSnapshot();
      assert.ok(during.links.includes('kjob-node0'), 'the node address lives on our veth');
      assert.equal(
        during.sysctls['vm/overcommit_memory'],
        '1',
        'the kubelet changed vm.overcommit_memory (so the restore below is tested)',
      );
      assert.ok(during.processes.length >= 2, `containerd and kubelet run: ${during.processes.join(' | ')}`);
      await withNamespace(cp, async (ns) => {
        await applyYaml(
          cp.kubeconfigPath,
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: { name: 'hello' },
            spec: { template: podTemplate([{ log: 'hello', after: '1s' }]) },
          },
          ns,
        );
        await waitFor(
          async () => {
            const j = await cp.client.request('GET', `/apis/batch/v1/namespaces/${ns}/jobs/hello`);
            return j.status?.succeeded === 1;
          },
          { what: 'Job hello Complete' },
        );
        const running = hostSnapshot();
        assert.ok(running.cgroups.length > 0, 'the kubelet made its kubepods cgroups');
        assert.ok(running.iptables.join('\n').includes('KUBE-FIREWALL'), 'the kubelet made its iptables chains');
      });
    } finally {
      await cp.stop();
    }
    const after = hostSnapshot();
    assert.deepEqual(after, before);
  });

  test('one node per machine: the lock is free after stop and held while a node runs', {
    timeout: 300_000,
  }, async () => {
    const free = () => {
      try {
        execFileSync('flock', ['-n', '/run/kubectl-job-e2e-node.lock', 'true'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    };
    assert.equal(free(), true);
    const cp = await startControlPlane();
    try {
      assert.equal(free(), false, 'a second node would wait');
    } finally {
      await cp.stop();
    }
    assert.equal(free(), true);
  });
});
