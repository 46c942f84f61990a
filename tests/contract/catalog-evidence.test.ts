/**
 * Contract: every version the catalog supports stands on upstream facts committed as a fixture, and every image
 * the program deploys is either published upstream with the evidence recorded, or built by the project from a
 * Dockerfile under images/.
 */
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { planCluster } from '../../components/plan-cluster';
import { BLAZEGRAPH_JRE_IMAGE } from '../../components/model/artefacts';
import { CURL_IMAGE } from '../../components/apps/render-jobs';
import {
  DOCKER_CLI_IMAGES,
  PROJECT_IMAGES,
  SPARK_BASE_IMAGES,
  VERSION_CATALOG,
  ZEPPELIN_BASE_IMAGES,
  imageFor,
} from '../../components/model/catalog';
import { COMPONENTS } from '../../components/model/types';
import { stackSpec } from '../unit/components/hosts/stack-spec';
import { allFactFiles, factFilePath, facts } from './support/upstream-facts';

const PROJECT_DIR = path.resolve(__dirname, '..', '..');
const SUPPORTED = COMPONENTS.flatMap((c) => VERSION_CATALOG[c].supported.map((v) => [c, v] as const));

describe('catalog versions', () => {
  test.each(SUPPORTED)('%s %s has upstream facts naming their repository and tag', (component, version) => {
    expect(existsSync(factFilePath(component, version))).toBe(true);
    const f = facts(component, version);
    expect([f.component, f.version]).toEqual([component, version]);
    expect(f.repository).not.toBe('');
    expect(f.tag).not.toBe('');
  });

  test.each(COMPONENTS.map((c) => [c]))('%s: an image is evidenced upstream or built from images/', (c) => {
    const entry = VERSION_CATALOG[c];
    expect(entry.image !== undefined && entry.build !== undefined).toBe(false);
    if (entry.image !== undefined) {
      for (const v of entry.supported) expect(entry.evidence?.[v]?.length ?? 0).toBeGreaterThan(0);
    }
    if (entry.build !== undefined) {
      expect(existsSync(path.join(PROJECT_DIR, 'images', entry.build, 'Dockerfile'))).toBe(true);
      expect(PROJECT_IMAGES[entry.build].component).toBe(c);
    }
  });
});

describe('fixtures', () => {
  test.each(allFactFiles().map((f) => [path.relative(PROJECT_DIR, f)]))(
    '%s: every fact names its source and lists sorted, unique values',
    (file) => {
      const f = JSON.parse(readFileSync(path.join(PROJECT_DIR, file), 'utf8')) as {
        facts: Record<string, { source: unknown; values?: string[] }>;
      };
      for (const fact of Object.values(f.facts)) {
        expect(fact.source).toBeTruthy();
        if (fact.values !== undefined) {
          expect(fact.values).toEqual([...new Set(fact.values)].sort());
        }
      }
    },
  );
});

/** Images published upstream with their evidence recorded, beyond the catalog's own components. */
function evidencedImages(): Set<string> {
  const images = new Set<string>();
  for (const c of COMPONENTS) {
    const entry = VERSION_CATALOG[c];
    if (entry.image === undefined) continue;
    for (const v of entry.supported) images.add(imageFor(c, v));
  }
  for (const v of VERSION_CATALOG.docker.supported) {
    expect(facts('docker', v).facts.cliImage.value).toBe(DOCKER_CLI_IMAGES[v]);
    images.add(DOCKER_CLI_IMAGES[v]);
  }
  // The bases of the project's own images: apache/spark-docker versions.json, Zeppelin's published tags.
  const sparkTags = facts('spark', 'image').facts.publishedTags35x.values ?? [];
  for (const v of VERSION_CATALOG.spark.supported) {
    expect(sparkTags).toContain(v);
    images.add(SPARK_BASE_IMAGES[v]);
  }
  for (const v of VERSION_CATALOG.zeppelin.supported) {
    const f = facts('zeppelin', v).facts;
    expect(f.imagePublishedEvidence.source.length).toBeGreaterThan(0);
    expect(f.imageName.value).toBe(ZEPPELIN_BASE_IMAGES[v]);
    images.add(ZEPPELIN_BASE_IMAGES[v]);
  }
  for (const v of VERSION_CATALOG.jupyter.supported)
    images.add(facts('jupyter', v).facts.baseImage.value as string);
  const runtime = facts('runtime', 'images').facts;
  for (const fact of ['temurin8JreJammy', 'curlImage', 'node8Build', 'node8StretchSlim'])
    images.add(runtime[fact].value as string);
  return images;
}

describe.each(['dev', 'staging', 'production'])('every image the %s stack deploys', (stack) => {
  const plan = planCluster(stackSpec(stack));
  const built = new Set(plan.platform.images.images.map((i) => i.ref));
  const evidenced = evidencedImages();
  const deployed = [
    ...plan.platform.containers.map((c) => c.image),
    ...plan.apps.apps.map((a) => a.definition.container?.docker?.image ?? ''),
    ...plan.apps.jobs.map((j) => j.definition.container?.image ?? ''),
    ...(plan.edge.enabled ? [plan.edge.image] : []),
  ];

  test('is evidenced upstream or built by the project', () => {
    expect([...new Set(deployed)].filter((i) => !evidenced.has(i) && !built.has(i)).sort()).toEqual([]);
  });

  test('and the upstream bases of the built images are evidenced too', () => {
    const bases = plan.platform.images.images.flatMap((i) =>
      Object.entries(i.buildArgs)
        .filter(([k]) => k.endsWith('_IMAGE'))
        .map(([, image]) => image),
    );
    expect(bases.filter((b) => !evidenced.has(b) && !built.has(b))).toEqual([]);
  });

  test('the runtime images are the ones the fixtures name', () => {
    expect(evidenced.has(BLAZEGRAPH_JRE_IMAGE)).toBe(true);
    expect(evidenced.has(CURL_IMAGE)).toBe(true);
  });
});
