/**
 * Contract: what the project images download while they are built (components/model/artefacts.ts) is what
 * upstream publishes, pinned by the checksums on record in tests/contract/upstream/, and the Lightning image
 * leaves out exactly the visualizations whose dependencies no package registry serves.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import {
  BLAZEGRAPH_RELEASES,
  JUPYTER_BASE_IMAGES,
  LIGHTNING_NODE_IMAGES,
  LIGHTNING_SOURCES,
  LIVY_RELEASES,
  SPARKMAGIC_PACKAGES,
  SPARKMAGIC_VERSION,
} from '../../components/model/artefacts';
import { VERSION_CATALOG } from '../../components/model/catalog';
import { facts } from './support/upstream-facts';

const IMAGES = path.resolve(__dirname, '..', '..', 'images');

describe.each(VERSION_CATALOG.livy.supported.map((v) => [v]))('Livy %s', (v) => {
  const f = facts('livy', v).facts;
  test('the release URL is the Scala 2.12 zip the release build names, on the Apache archive', () => {
    expect(LIVY_RELEASES[v].url).toBe(f.releaseUrl.value);
    expect(f.binaryArtefacts.values).toContain(path.basename(LIVY_RELEASES[v].url));
  });

  test('with no SHA-512 on record, the build checks the one the release publishes; a recorded one pins it', () => {
    expect(f.releaseSha512Recorded.value).toBe('none on record');
    expect([LIVY_RELEASES[v].sha512, LIVY_RELEASES[v].publishedSha512]).toEqual([undefined, true]);
  });
});

test.each(VERSION_CATALOG.blazegraph.supported.map((v) => [v]))(
  'Blazegraph %s: the jar is the release asset, pinned by the sha256 on record',
  (v) => {
    const f = facts('blazegraph', v).facts;
    expect(BLAZEGRAPH_RELEASES[v]).toEqual({ url: f.releaseJarUrl.value, sha256: f.releaseJarSha256.value });
  },
);

describe.each(VERSION_CATALOG.lightning.supported.map((v) => [v]))('Lightning %s', (v) => {
  const file = facts('lightning', v);
  const f = file.facts;
  test("the source is the release commit's archive, pinned by that commit's git tree", () => {
    expect(LIGHTNING_SOURCES[v]).toEqual({
      url: `https://github.com/${file.repository}/archive/${(file as unknown as { commit: string }).commit}.tar.gz`,
      gitTree: f.releaseTree.value,
    });
  });

  test('the image runs on the Node the dependency tree was run on here, from official images on record', () => {
    const runtime = facts('runtime', 'images').facts;
    expect(LIGHTNING_NODE_IMAGES[v]).toEqual({
      build: runtime.node8Build.value,
      run: runtime.node8StretchSlim.value,
    });
    expect(f.runtimeTried.values?.find((r) => r.startsWith('node 8.17.0'))).toContain(
      'server.js answers 401',
    );
  });

  const script = readFileSync(path.join(IMAGES, 'lightning', 'registry-only.js'), 'utf8');
  const leftOut = [...script.matchAll(/^ {2}'(lightning-[a-z0-9-]+)',/gm)].map((m) => m[1]);

  test('registry-only.js leaves out exactly the visualizations with GitHub-only dependencies', () => {
    expect(leftOut).toEqual((f.githubOnlyDependencies.values ?? []).map((d) => d.split('@')[0]));
  });

  test('the lock installs every other default visualization, each from the registry with an integrity hash', () => {
    const lock = JSON.parse(readFileSync(path.join(IMAGES, 'lightning', 'npm-shrinkwrap.json'), 'utf8')) as {
      dependencies: Record<string, { resolved?: string; integrity?: string; bundled?: boolean }>;
    };
    const kept = (f.defaultVisualizations.values ?? []).filter((n) => !leftOut.includes(n));
    expect(kept.filter((n) => lock.dependencies[n] === undefined)).toEqual([]);
    expect(leftOut.filter((n) => lock.dependencies[n] !== undefined)).toEqual([]);
    const unpinned = Object.entries(lock.dependencies).filter(
      ([, d]) =>
        d.bundled !== true &&
        (!/^https:\/\/registry\.npmjs\.org\//.test(d.resolved ?? '') || !/^sha512-/.test(d.integrity ?? '')),
    );
    expect(unpinned.map(([n]) => n)).toEqual([]);
  });
});

describe('JupyterLab', () => {
  test.each(VERSION_CATALOG.jupyter.supported.map((v) => [v]))(
    '%s: the base is the dated docker-stacks image on record',
    (v) => {
      expect(JUPYTER_BASE_IMAGES[v]).toBe(facts('jupyter', v).facts.baseImage.value);
    },
  );

  test('sparkmagic and the packages released with it are installed at its tag', () => {
    const f = facts('sparkmagic', SPARKMAGIC_VERSION).facts;
    expect(f.packageVersion.value).toBe(SPARKMAGIC_VERSION);
    expect([...SPARKMAGIC_PACKAGES]).toEqual(f.releasedPackages.values);
    const install = readFileSync(path.join(IMAGES, 'jupyter', 'install-sparkmagic.sh'), 'utf8');
    for (const p of SPARKMAGIC_PACKAGES) expect(install).toContain(`"${p}==\${SPARKMAGIC_VERSION}"`);
  });
});
