// The proxy choice (src/cluster/proxy.ts), Go's rules for the environment; the e2e test in
// test/e2e/cluster/kubeconfig.test.ts compares it with kubectl through real proxy servers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClusterError } from '../../src/errors.js';
import { environmentProxy, kubeconfigProxy, noProxyMatches } from '../../src/cluster/proxy.js';

const at = (u: string, env: NodeJS.ProcessEnv) => environmentProxy(new URL(u), env)?.href;

test('HTTPS_PROXY for https servers, HTTP_PROXY for http, upper case first; none for loopback or localhost', () => {
  const env = { HTTPS_PROXY: 'http://p:3128', https_proxy: 'http://lower:1', HTTP_PROXY: 'socks5://s:1080' };
  assert.equal(at('https://api.example:6443', env), 'http://p:3128/');
  assert.equal(at('https://api.example:6443', { https_proxy: 'http://lower:1' }), 'http://lower:1/');
  assert.equal(at('http://api.example', env), 'socks5://s:1080');
  assert.equal(at('https://api.example', { HTTP_PROXY: 'http://p:1' }), undefined);
  for (const local of ['https://localhost:6443', 'https://127.0.0.1:6443', 'https://127.9.9.9', 'https://[::1]:6443'])
    assert.equal(at(local, env), undefined, local);
  assert.equal(at('https://10.0.0.1', { HTTPS_PROXY: 'p:3128' }), 'http://p:3128/', 'no scheme: http');
});

test('NO_PROXY: *, domains and subdomains, leading dots, IPs, CIDR ranges, ports', () => {
  assert.ok(noProxyMatches('*', 'anything', '443'));
  assert.ok(noProxyMatches('example.com', 'example.com', '443'));
  assert.ok(noProxyMatches('example.com', 'api.example.com', '443'));
  assert.ok(!noProxyMatches('example.com', 'badexample.com', '443'));
  assert.ok(!noProxyMatches('.example.com', 'example.com', '443'));
  assert.ok(noProxyMatches('.example.com', 'api.example.com', '443'));
  assert.ok(noProxyMatches('*.example.com', 'api.example.com', '443'));
  assert.ok(noProxyMatches(' other , 10.1.2.3', '10.1.2.3', '443'));
  assert.ok(noProxyMatches('10.0.0.0/8', '10.1.2.3', '6443'));
  assert.ok(!noProxyMatches('10.0.0.0/8', '11.1.2.3', '6443'));
  assert.ok(noProxyMatches('api.example.com:6443', 'api.example.com', '6443'));
  assert.ok(!noProxyMatches('api.example.com:6443', 'api.example.com', '443'));
  assert.ok(noProxyMatches('[fd00::1]:443', 'fd00::1', '443'));
  assert.equal(at('https://api.example.com', { HTTPS_PROXY: 'http://p:1', no_proxy: 'example.com' }), undefined);
});

test('proxy-url: http, https and socks5 only', () => {
  assert.equal(kubeconfigProxy('socks5://bastion:1080', 'c').protocol, 'socks5:');
  assert.equal(kubeconfigProxy('https://p:443', 'c').protocol, 'https:');
  assert.throws(() => kubeconfigProxy('ftp://p', 'c'), ClusterError);
  assert.throws(() => kubeconfigProxy('not a url', 'c'), ClusterError);
});
