import type { ProgramRun } from '../../../../scripts/lib/program-runner';
import { byType, find, runStack } from '../../harness';

const IMAGE = 'docker:index/remoteImage:RemoteImage';
const PUSH = 'docker:index/registryImage:RegistryImage';

let staging: ProgramRun;
let pushed: ProgramRun;
beforeAll(async () => {
  staging = await runStack('staging');
  pushed = await runStack('staging', { 'stars:imageRegistry': 'registry.example.org:5000/lab' });
}, 120_000);

const projectImages = (run: ProgramRun) =>
  byType(run, IMAGE).filter((r) => r.name.startsWith('platform-images-'));

describe('project images without a registry', () => {
  test('each host builds the images it runs, from images/<name> with the planned build arguments', () => {
    expect(
      projectImages(staging)
        .map((r) => r.name)
        .sort(),
    ).toEqual([
      'platform-images-blazegraph-a1',
      'platform-images-jupyter-a1',
      'platform-images-lightning-a1',
      'platform-images-livy-a1',
      'platform-images-livy-a2',
      'platform-images-livy-a3',
      'platform-images-mesos-a1',
      'platform-images-mesos-a2',
      'platform-images-mesos-a3',
      'platform-images-mesos-dns-m1',
      'platform-images-mesos-dns-m2',
      'platform-images-mesos-dns-m3',
      'platform-images-mesos-m1',
      'platform-images-mesos-m2',
      'platform-images-mesos-m3',
      'platform-images-spark-a1',
      'platform-images-spark-a2',
      'platform-images-spark-a3',
      'platform-images-zeppelin-a1',
    ]);
    const spark = find(staging, IMAGE, 'platform-images-spark-a2');
    const mesos = find(staging, IMAGE, 'platform-images-mesos-a2');
    expect(spark.inputs.build).toEqual({
      context: 'images/spark',
      dockerfile: 'Dockerfile',
      buildArgs: { MESOS_IMAGE: mesos.inputs.name, SPARK_IMAGE: 'apache/spark:3.5.6' },
    });
    expect(spark.inputs.keepLocally).toBe(true);
    expect(byType(staging, PUSH)).toEqual([]);
  });

  test('a build gets where to download from (fetch arguments) besides what it builds, and no proxy without one', () => {
    const build = find(staging, IMAGE, 'platform-images-lightning-a1').inputs.build as {
      buildArgs: Record<string, string>;
    };
    expect(Object.keys(build.buildArgs).sort()).toEqual([
      'LIGHTNING_TREE',
      'LIGHTNING_URL',
      'MESOS_IMAGE',
      'NODE_BUILD_IMAGE',
      'NODE_IMAGE',
      'NPM_REGISTRY',
    ]);
    expect(build.buildArgs.NPM_REGISTRY).toBe('https://registry.npmjs.org/');
  });

  test('an image is built on a host after its bootstrap and after the image it is built FROM, on that engine', () => {
    const spark = find(staging, IMAGE, 'platform-images-spark-a2');
    expect(spark.provider?.endsWith('::hosts-a2-docker')).toBe(true);
    expect(spark.dependencies).toContain(find(staging, IMAGE, 'platform-images-mesos-a2').urn);
    expect(spark.dependencies).not.toContain(find(staging, IMAGE, 'platform-images-mesos-a1').urn);
    const zeppelin = find(staging, IMAGE, 'platform-images-zeppelin-a1');
    expect(zeppelin.dependencies).toContain(find(staging, IMAGE, 'platform-images-spark-a1').urn);
  });
});

describe('project images with stars:imageRegistry', () => {
  test('the first host of each image builds and pushes it; every other host pulls it after the push', () => {
    const builds = projectImages(pushed).filter((r) => r.inputs.build !== undefined);
    expect(builds.map((r) => r.name).sort()).toEqual([
      'platform-images-blazegraph-a1',
      'platform-images-jupyter-a1',
      'platform-images-lightning-a1',
      'platform-images-livy-a1',
      'platform-images-mesos-a1',
      'platform-images-mesos-dns-m1',
      'platform-images-spark-a1',
      'platform-images-zeppelin-a1',
    ]);
    const pushes = byType(pushed, PUSH);
    expect(pushes.map((r) => [r.name, r.inputs.keepRemotely]).sort()).toEqual([
      ['platform-images-blazegraph-push', true],
      ['platform-images-jupyter-push', true],
      ['platform-images-lightning-push', true],
      ['platform-images-livy-push', true],
      ['platform-images-mesos-dns-push', true],
      ['platform-images-mesos-push', true],
      ['platform-images-spark-push', true],
      ['platform-images-zeppelin-push', true],
    ]);
    const pull = find(pushed, IMAGE, 'platform-images-mesos-m2');
    expect(pull.inputs.build).toBeUndefined();
    expect(pull.inputs.name).toMatch(
      /^registry\.example\.org:5000\/lab\/stars\/mesos:1\.10\.0-[0-9a-f]{12}$/,
    );
    expect(pull.dependencies).toContain(find(pushed, PUSH, 'platform-images-mesos-push').urn);
    expect(find(pushed, PUSH, 'platform-images-spark-push').dependencies).toContain(
      find(pushed, IMAGE, 'platform-images-spark-a1').urn,
    );
  });
});
