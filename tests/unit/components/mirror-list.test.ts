import { readFileSync } from 'fs';
import * as path from 'path';
import { mirrorList, registryOf, renderMirrorList } from '../../../components/mirror-list';
import { planCluster } from '../../../components/plan-cluster';
import {
  MIRROR_LIST_END,
  MIRROR_LIST_START,
  readmeWithMirrorList,
} from '../../../scripts/lib/readme-mirror-list';
import { stackSpec } from './hosts/stack-spec';

describe('registryOf', () => {
  test.each([
    ['zookeeper:3.9.5', 'docker.io'],
    ['mesosphere/marathon:v1.10.26', 'docker.io'],
    ['quay.io/jupyter/pyspark-notebook:2026-07-28', 'quay.io'],
    ['registry.example.org:5000/lab/lightning:1.3.0', 'registry.example.org:5000'],
    ['localhost:5000/x:1', 'localhost:5000'],
  ])('%s comes from %s', (ref, registry) => {
    expect(registryOf(ref)).toBe(registry);
  });
});

describe('mirrorList', () => {
  const staging = mirrorList(planCluster(stackSpec('staging')));

  test('staging: every upstream image the hosts pull or the builds start from, and none the project builds', () => {
    expect(staging.images.map((i) => i.ref)).toEqual([
      'apache/spark:3.5.6',
      'apache/zeppelin:0.12.0',
      'curlimages/curl:8.11.1',
      'docker:27.5.1-cli',
      'eclipse-temurin:8u502-b07-jre-jammy',
      'httpd:2.4.68',
      'mesosphere/chronos:v3.0.2',
      'mesosphere/marathon:v1.10.26',
      'node:8.17.0-stretch',
      'node:8.17.0-stretch-slim',
      'quay.io/jupyter/pyspark-notebook:2026-07-28',
      'zookeeper:3.9.5',
    ]);
  });

  test('staging: each downloaded file with the path a download mirror serves it at and how it is checked', () => {
    expect(staging.files.map((f) => [f.mirrorPath.split('/')[0], f.check.split(' ')[0]])).toEqual([
      ['archive.apache.org', 'the'],
      ['dl.google.com', 'sha256'],
      ['github.com', 'sha256'],
      ['github.com', 'git'],
      ['github.com', 'sha256'],
    ]);
    for (const f of staging.files) expect(`https://${f.mirrorPath}`).toBe(f.url);
  });

  test('apps that are off need nothing mirrored: no Python, npm or app files', () => {
    const bare = mirrorList(planCluster(stackSpec('staging', { 'stars:apps': [] })));
    expect([bare.python, bare.npm, bare.files.map((f) => f.url.split('/')[2])]).toEqual([
      [],
      false,
      ['dl.google.com', 'github.com'],
    ]);
  });

  test('with data backups, the restic image (GitHub registry: not a Docker Hub mirror) is listed', () => {
    const spec = { ...stackSpec('staging') };
    const withBackup = {
      ...spec,
      dataBackup: {
        repository: '/mnt/backups',
        kind: 'local' as const,
        time: '02:30',
        keep: { daily: 7, weekly: 4, monthly: 6 },
        image: 'ghcr.io/restic/restic:0.19.1',
      },
    };
    const list = mirrorList(planCluster(withBackup));
    expect(list.images.find((i) => i.ref === 'ghcr.io/restic/restic:0.19.1')).toEqual({
      ref: 'ghcr.io/restic/restic:0.19.1',
      registry: 'ghcr.io',
    });
  });

  test("a site's own Lightning image: neither its source nor the npm registry is needed", () => {
    const site = mirrorList(
      planCluster(
        stackSpec('staging', {
          'stars:appSettings': { lightning: { image: 'registry.example.org/lightning:1.3.0' } },
        }),
      ),
    );
    expect(site.npm).toBe(false);
    expect(site.files.some((f) => f.url.includes('lightning-viz'))).toBe(false);
  });

  test('the rendered list is a Markdown table with one row per entry and a trailing newline', () => {
    const text = renderMirrorList(staging, 7);
    const rows = text.trimEnd().split('\n');
    expect(rows.length).toBe(2 + staging.images.length + staging.files.length + staging.python.length + 1);
    expect(rows.at(-1)).toContain('the 7 npm packages locked in');
    expect(text.endsWith('|\n')).toBe(true);
  });
});

test('README "Air-gapped install" holds exactly the staging example\'s list (run `npm run render:mirror-list`)', () => {
  const readme = readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  expect(readme).toContain(MIRROR_LIST_START);
  expect(readme).toContain(MIRROR_LIST_END);
  expect(readmeWithMirrorList(readme)).toBe(readme);
});
