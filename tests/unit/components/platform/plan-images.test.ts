import { planImages, imageRef, type ImageSources } from '../../../../components/platform/plan-images';
import { readImageSources } from '../../../../components/platform/image-sources';
import { stackSpec } from '../hosts/stack-spec';

const SOURCES: ImageSources = {
  mesos: [{ path: 'Dockerfile', sha256: 'a'.repeat(64) }],
  'mesos-dns': [{ path: 'Dockerfile', sha256: 'f'.repeat(64) }],
  spark: [{ path: 'Dockerfile', sha256: 'b'.repeat(64) }],
  zeppelin: [{ path: 'Dockerfile', sha256: 'c'.repeat(64) }],
};
const staging = stackSpec('staging');

describe('planImages', () => {
  test('staging: Mesos everywhere, Mesos-DNS on the masters, Spark on every agent, Zeppelin on its pinned agent, in build order', () => {
    const plan = planImages(staging, SOURCES);
    expect(plan.registry).toBeUndefined();
    expect(plan.images.map((i) => [i.name, i.hosts, i.from, i.context])).toEqual([
      ['mesos', ['a1', 'a2', 'a3', 'm1', 'm2', 'm3'], [], 'images/mesos'],
      ['mesos-dns', ['m1', 'm2', 'm3'], [], 'images/mesos-dns'],
      ['spark', ['a1', 'a2', 'a3'], ['mesos'], 'images/spark'],
      ['zeppelin', ['a1'], ['spark'], 'images/zeppelin'],
    ]);
  });

  test('build arguments pin the upstream bases from the catalog and the project image each is built from', () => {
    const plan = planImages(staging, SOURCES);
    const mesos = imageRef(plan, 'mesos');
    const spark = imageRef(plan, 'spark');
    expect(plan.images.map((i) => i.buildArgs)).toEqual([
      {
        CURL_IMAGE: 'eclipse-temurin:8u502-b07-jre-jammy',
        DOCKER_CLI_IMAGE: 'docker:27.5.1-cli',
        MESOS_PACKAGE_IMAGE: 'mesosphere/marathon:v1.10.26',
        MESOS_VERSION: '1.10.0',
      },
      {
        BUILD_IMAGE: 'eclipse-temurin:8u502-b07-jre-jammy',
        GO_SHA256: 'ff54aafedff961eb94792487e827515da683d61a5f9482f668008832631e5d25',
        GO_VERSION: '1.11.5',
        MESOS_DNS_COMMIT: '7135fd6922de2eee6dfc9a2535d5223083e3db38',
        MESOS_DNS_TREE_SHA256: '941414c27bf265dde94be73445dda89e1b4eb2cf7ca056ac5242372b1203e375',
        MESOS_DNS_VERSION: 'v0.7.0-rc2',
      },
      { MESOS_IMAGE: mesos, SPARK_IMAGE: 'apache/spark:3.5.6' },
      { SPARK_IMAGE: spark, ZEPPELIN_IMAGE: 'apache/zeppelin:0.12.0' },
    ]);
  });

  test.each([
    [
      'a file of the Mesos image',
      { ...SOURCES, mesos: [{ path: 'Dockerfile', sha256: 'd'.repeat(64) }] },
      {},
      ['mesos', 'spark', 'zeppelin'],
    ],
    [
      'a file of the Zeppelin image',
      { ...SOURCES, zeppelin: [{ path: 'x', sha256: 'e'.repeat(64) }] },
      {},
      ['zeppelin'],
    ],
    ['the Spark version', SOURCES, { 'stars:sparkVersion': '3.5.5' }, ['spark', 'zeppelin']],
    ['the Zeppelin version', SOURCES, { 'stars:zeppelinVersion': '0.11.2' }, ['zeppelin']],
    [
      'the Docker version (the CLI in the Mesos image)',
      SOURCES,
      { 'stars:dockerVersion': '28.5.2' },
      ['mesos', 'spark', 'zeppelin'],
    ],
  ] as const)(
    'changing %s changes the tags of exactly %#: the images built from it',
    (_what, sources, overrides, changed) => {
      const before = planImages(staging, SOURCES).images;
      const after = planImages(stackSpec('staging', overrides), sources).images;
      expect(after.filter((a, i) => a.ref !== before[i].ref).map((a) => a.name)).toEqual(changed);
    },
  );

  test('tags carry the version and a 12-hex hash; a registry prefixes every reference', () => {
    const plain = planImages(staging, SOURCES);
    for (const i of plain.images)
      expect(i.ref).toMatch(new RegExp(`^stars/${i.name}:${i.version}-[0-9a-f]{12}$`));
    const pushed = planImages(
      stackSpec('staging', { 'stars:imageRegistry': 'registry.example.org:5000/lab' }),
      SOURCES,
    );
    expect(pushed.registry).toBe('registry.example.org:5000/lab');
    for (const i of pushed.images) expect(i.ref).toMatch(/^registry\.example\.org:5000\/lab\/stars\//);
  });

  test('without Spark drivers only the Mesos and Mesos-DNS images are planned, and asking for another names why not', () => {
    const plan = planImages(stackSpec('staging', { 'stars:apps': ['blazegraph'] }), SOURCES);
    expect(plan.images.map((i) => i.name)).toEqual(['mesos', 'mesos-dns']);
    expect(() => imageRef(plan, 'spark')).toThrow('no host needs the spark image, so it has no reference');
  });

  test('the committed build contexts are read with a hash per file, Dockerfile included', () => {
    const sources = readImageSources();
    for (const name of ['mesos', 'spark', 'zeppelin'] as const) {
      expect(sources[name].map((f) => f.path)).toContain('Dockerfile');
      for (const f of sources[name]) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
