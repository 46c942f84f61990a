import { planImages, imageRef, type ImageSources } from '../../../../components/platform/plan-images';
import { readImageSources } from '../../../../components/platform/image-sources';
import { PROJECT_IMAGE_NAMES } from '../../../../components/model/catalog';
import { stackSpec } from '../hosts/stack-spec';

const SOURCES: ImageSources = {
  mesos: [{ path: 'Dockerfile', sha256: 'a'.repeat(64) }],
  'mesos-dns': [{ path: 'Dockerfile', sha256: 'f'.repeat(64) }],
  spark: [{ path: 'Dockerfile', sha256: 'b'.repeat(64) }],
  zeppelin: [{ path: 'Dockerfile', sha256: 'c'.repeat(64) }],
  livy: [{ path: 'Dockerfile', sha256: '1'.repeat(64) }],
  blazegraph: [{ path: 'Dockerfile', sha256: '2'.repeat(64) }],
  jupyter: [{ path: 'Dockerfile', sha256: '3'.repeat(64) }],
  lightning: [{ path: 'Dockerfile', sha256: '4'.repeat(64) }],
};
const staging = stackSpec('staging');

describe('planImages', () => {
  test('staging: Mesos everywhere, Mesos-DNS on the masters, Spark and Livy on every agent, the pinned apps on theirs, in build order', () => {
    const plan = planImages(staging, SOURCES);
    expect(plan.registry).toBeUndefined();
    expect(plan.images.map((i) => [i.name, i.hosts, i.from, i.context])).toEqual([
      ['mesos', ['a1', 'a2', 'a3', 'm1', 'm2', 'm3'], [], 'images/mesos'],
      ['mesos-dns', ['m1', 'm2', 'm3'], [], 'images/mesos-dns'],
      ['spark', ['a1', 'a2', 'a3'], ['mesos'], 'images/spark'],
      ['zeppelin', ['a1'], ['spark'], 'images/zeppelin'],
      ['livy', ['a1', 'a2', 'a3'], ['spark'], 'images/livy'],
      ['blazegraph', ['a1'], ['mesos'], 'images/blazegraph'],
      ['jupyter', ['a1'], ['mesos'], 'images/jupyter'],
      ['lightning', ['a1'], ['mesos'], 'images/lightning'],
    ]);
  });

  test("a site's own Lightning image replaces the project's: no host builds it", () => {
    const plan = planImages(
      stackSpec('staging', {
        'stars:appSettings': { lightning: { image: 'registry.example.org/lightning:1.3.0' } },
      }),
      SOURCES,
    );
    expect(plan.images.map((i) => i.name)).not.toContain('lightning');
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
      { DOWNLOAD_IMAGE: 'curlimages/curl:8.11.1', LIVY_SHA512: '', SPARK_IMAGE: spark },
      {
        BLAZEGRAPH_SHA256: 'fbaeae7e1b3af71f57cfc4da58b9c52a9ae40502d431c76bafa5d5570d737610',
        JRE_IMAGE: 'eclipse-temurin:8u502-b07-jre-jammy',
        MESOS_IMAGE: mesos,
      },
      {
        JUPYTER_IMAGE: 'quay.io/jupyter/pyspark-notebook:2026-07-28',
        MESOS_IMAGE: mesos,
        SPARKMAGIC_VERSION: '0.23.0',
      },
      {
        LIGHTNING_TREE: 'cef6265aa109287451b0f6157dd30f1e178fd289',
        MESOS_IMAGE: mesos,
        NODE_BUILD_IMAGE: 'node:8.17.0-stretch',
        NODE_IMAGE: 'node:8.17.0-stretch-slim',
      },
    ]);
  });

  test('without a site mirror every build downloads from upstream, and installs from the public index and registry', () => {
    expect(Object.fromEntries(planImages(staging, SOURCES).images.map((i) => [i.name, i.fetchArgs]))).toEqual(
      {
        mesos: {},
        'mesos-dns': {
          GO_URL: 'https://dl.google.com/go/go1.11.5.linux-amd64.tar.gz',
          MESOS_DNS_SOURCE_URL:
            'https://github.com/mesosphere/mesos-dns/archive/7135fd6922de2eee6dfc9a2535d5223083e3db38.tar.gz',
        },
        spark: {},
        zeppelin: {},
        livy: {
          LIVY_URL:
            'https://archive.apache.org/dist/incubator/livy/0.9.0-incubating/apache-livy-0.9.0-incubating_2.12-bin.zip',
        },
        blazegraph: {
          BLAZEGRAPH_URL:
            'https://github.com/blazegraph/database/releases/download/BLAZEGRAPH_RELEASE_2_1_5/blazegraph.jar',
        },
        jupyter: { PIP_INDEX_URL: 'https://pypi.org/simple' },
        lightning: {
          LIGHTNING_URL:
            'https://github.com/lightning-viz/lightning/archive/ea9402271f205fedc2c719f59ef524b55d3674a7.tar.gz',
          NPM_REGISTRY: 'https://registry.npmjs.org/',
        },
      },
    );
    expect(planImages(staging, SOURCES).proxyArgs).toEqual({});
  });

  test("with the site's sources, builds download from the mirror, the index and the registry, through the proxy, and the tags stay", () => {
    const site = stackSpec('staging', {
      'stars:packageSources': {
        proxy: 'http://proxy.example.org:3128',
        downloadMirror: 'https://mirror.example.org/stars/',
        pypiIndex: 'https://pypi.example.org/simple',
        npmRegistry: 'https://npm.example.org',
      },
    });
    const plan = planImages(site, SOURCES);
    const byName = Object.fromEntries(plan.images.map((i) => [i.name, i.fetchArgs]));
    expect([byName.livy, byName.jupyter, byName.lightning]).toEqual([
      {
        LIVY_URL:
          'https://mirror.example.org/stars/archive.apache.org/dist/incubator/livy/0.9.0-incubating/apache-livy-0.9.0-incubating_2.12-bin.zip',
      },
      { PIP_INDEX_URL: 'https://pypi.example.org/simple' },
      {
        LIGHTNING_URL:
          'https://mirror.example.org/stars/github.com/lightning-viz/lightning/archive/ea9402271f205fedc2c719f59ef524b55d3674a7.tar.gz',
        NPM_REGISTRY: 'https://npm.example.org',
      },
    ]);
    expect(plan.proxyArgs.HTTPS_PROXY).toBe('http://proxy.example.org:3128');
    expect(plan.proxyArgs.no_proxy.split(',')).toContain('.mesos');
    expect(plan.images.map((i) => i.ref)).toEqual(planImages(staging, SOURCES).images.map((i) => i.ref));
  });

  test.each([
    [
      'a file of the Mesos image',
      { ...SOURCES, mesos: [{ path: 'Dockerfile', sha256: 'd'.repeat(64) }] },
      {},
      ['mesos', 'spark', 'zeppelin', 'livy', 'blazegraph', 'jupyter', 'lightning'],
    ],
    [
      'a file of the Zeppelin image',
      { ...SOURCES, zeppelin: [{ path: 'x', sha256: 'e'.repeat(64) }] },
      {},
      ['zeppelin'],
    ],
    ['the Spark version', SOURCES, { 'stars:sparkVersion': '3.5.5' }, ['spark', 'zeppelin', 'livy']],
    ['the Livy version', SOURCES, { 'stars:livyVersion': '0.8.0-incubating' }, ['livy']],
    ['the Zeppelin version', SOURCES, { 'stars:zeppelinVersion': '0.11.2' }, ['zeppelin']],
    [
      'the Docker version (the CLI in the Mesos image)',
      SOURCES,
      { 'stars:dockerVersion': '28.5.2' },
      ['mesos', 'spark', 'zeppelin', 'livy', 'blazegraph', 'jupyter', 'lightning'],
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

  test('without Spark drivers no Spark image is planned, and asking for it names why not', () => {
    const plan = planImages(stackSpec('staging', { 'stars:apps': ['blazegraph'] }), SOURCES);
    expect(plan.images.map((i) => i.name)).toEqual(['mesos', 'mesos-dns', 'blazegraph']);
    expect(() => imageRef(plan, 'spark')).toThrow('no host needs the spark image, so it has no reference');
  });

  test('the committed build contexts are read with a hash per file, Dockerfile included', () => {
    const sources = readImageSources();
    for (const name of PROJECT_IMAGE_NAMES) {
      expect(sources[name].map((f) => f.path)).toContain('Dockerfile');
      for (const f of sources[name]) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
