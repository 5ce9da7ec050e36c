// The manifest reader of `why -f`: multi-document YAML, JSON, v1 Lists, kustomize output, stdin,
// directories (non-recursive unless -R), other kinds skipped and named.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { manifestFiles, parseManifests, readManifests } from '../../src/cluster/manifests.js';
import { UsageError } from '../../src/errors.js';

const CJ = (name: string) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${name}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: main, image: busybox}]
`;
const JOB = `apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox}]
`;
const names = (s: ReturnType<typeof parseManifests>) =>
  s.objects.map((o) => `${o.kind}/${o.object.metadata.name}@${o.source}`);

describe('parseManifests', () => {
  it('a multi-document stream as kustomize build writes it: CronJobs and Jobs kept, other kinds skipped with their names', () => {
    const text = `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\n---\n${CJ('a')}---\n${JOB}---\n# a comment only\n`;
    const s = parseManifests(text, 'stdin');
    assert.deepEqual(names(s), ['CronJob/a@stdin#2', 'Job/once@stdin#3']);
    assert.deepEqual(
      s.skipped.map((k) => `${k.kind}/${k.name}: ${k.reason}`),
      ['ServiceAccount/sa: ServiceAccount is not a CronJob or Job'],
    );
  });
  it('a v1 List (kubectl get -o yaml) and a CronJobList are flattened', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        JSON.parse(JSON.stringify(yamlToObj(CJ('x')))),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } },
      ],
    };
    const s = parseManifests(JSON.stringify(list), 'list.json');
    assert.deepEqual(names(s), ['CronJob/x@list.json item 1']);
    assert.equal(s.skipped[0]!.kind, 'ConfigMap');
    const typed = parseManifests(
      JSON.stringify({ apiVersion: 'batch/v1', kind: 'CronJobList', items: [yamlToObj(CJ('y'))] }),
      'f',
    );
    assert.deepEqual(names(typed), ['CronJob/y@f item 1']);
  });
  it('JSON, one object', () => {
    assert.deepEqual(names(parseManifests(JSON.stringify(yamlToObj(CJ('j'))), 'cj.json')), ['CronJob/j@cj.json']);
  });
  it('a CronJob of another API group is not ours', () => {
    const s = parseManifests(CJ('z').replace('batch/v1', 'example.com/v1'), 'f');
    assert.equal(s.objects.length, 0);
    assert.equal(s.skipped.length, 1);
  });
  it('a malformed CronJob is skipped with the field that is wrong', () => {
    const s = parseManifests(CJ('m').replace('"0 * * * *"', '5'), 'f');
    assert.equal(s.objects.length, 0);
    assert.match(s.skipped[0]!.reason, /^malformed: \.spec\.schedule is the number 5, not a string/);
  });
  it('text that is not YAML is a usage error with a line, not a stack', () => {
    assert.throws(
      () => parseManifests('a: [1, 2\nb: }', 'bad.yaml'),
      (e: unknown) => e instanceof UsageError && /^bad\.yaml: not YAML or JSON: line \d+/.test(e.message),
    );
  });
  it('an empty input has nothing and no error', () => {
    assert.deepEqual(parseManifests('', 'f'), { objects: [], skipped: [] });
  });
});

describe('readManifests: files, directories, stdin', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kjob-manifests-'));
  fs.writeFileSync(path.join(dir, 'b.yaml'), CJ('b'));
  fs.writeFileSync(path.join(dir, 'a.yml'), JOB);
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a manifest');
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.writeFileSync(path.join(dir, 'sub', 'c.json'), JSON.stringify(yamlToObj(CJ('c'))));

  it('a directory: its manifest files in name order, not its subdirectories (as kubectl without -R)', () => {
    assert.deepEqual(
      manifestFiles(dir, false).map((f) => path.relative(dir, f)),
      ['a.yml', 'b.yaml'],
    );
    assert.deepEqual(
      readManifests([dir], false).objects.map((o) => o.object.metadata.name),
      ['once', 'b'],
    );
  });
  it('-R: subdirectories too', () => {
    assert.deepEqual(
      readManifests([dir], true).objects.map((o) => o.object.metadata.name),
      ['once', 'b', 'c'],
    );
  });
  it('- reads stdin (once)', () => {
    const s = readManifests(['-', path.join(dir, 'b.yaml')], false, () => CJ('from-stdin'));
    assert.deepEqual(
      s.objects.map((o) => `${o.object.metadata.name}@${o.source}`),
      ['from-stdin@stdin', `b@${path.join(dir, 'b.yaml')}`],
    );
    assert.throws(() => readManifests(['-', '-'], false, () => ''), /more than once/);
  });
  it('a missing path is a usage error', () => {
    assert.throws(
      () => readManifests([path.join(dir, 'nope.yaml')], false),
      (e: unknown) => e instanceof UsageError && /does not exist/.test(e.message),
    );
  });
});

function yamlToObj(text: string): unknown {
  // The reader's own YAML path, so the test does not depend on another parser.
  return parseManifests(text, 'x').objects[0]!.object;
}
