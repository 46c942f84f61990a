/**
 * Contract: the optional Jenkins app uses what the pinned jenkins/jenkins LTS image defines (jenkinsci/docker at
 * the tag, tests/contract/upstream/jenkins): its tag form, user, home and the env its jenkins.sh reads.
 */
import { planApps } from '../../components/apps/plan-apps';
import { appHostDirectories } from '../../components/plan/topology';
import { imageFor, VERSION_CATALOG } from '../../components/model/catalog';
import { stackSpec } from '../unit/components/hosts/stack-spec';
import { facts, factValues } from './support/upstream-facts';

const V = VERSION_CATALOG.jenkins.default;
const f = facts('jenkins', V).facts;
const spec = stackSpec('staging', { 'stars:apps': ['jenkins'] });
const jenkins = planApps(spec).apps.find((a) => a.definition.id === '/jenkins');

test('the image is the LTS, JDK 21 tag the tag build publishes', () => {
  expect(f.latestLtsTag.value).toBe(V);
  expect(f.jdksBuilt.values).toContain('21');
  expect(imageFor('jenkins', V)).toBe(`jenkins/jenkins:${V}-lts-jdk21`);
  expect(jenkins?.definition.container?.docker?.image).toBe(`jenkins/jenkins:${V}-lts-jdk21`);
});

test("its env is only what jenkins.sh and the image read, and its home is the image's JENKINS_HOME", () => {
  const known = new Set([
    ...factValues('jenkins', V, 'jenkinsShEnvVars'),
    ...factValues('jenkins', V, 'imageEnv'),
  ]);
  expect(Object.keys(jenkins?.definition.env ?? {}).filter((k) => !known.has(k))).toEqual([]);
  expect(jenkins?.definition.container?.volumes?.map((v) => v.containerPath)).toEqual([f.jenkinsHome.value]);
});

test("the agent directory of its home belongs to the image's user", () => {
  const dir = appHostDirectories(spec).find((d) => d.path.endsWith('/jenkins'));
  expect([dir?.uid, dir?.gid]).toEqual([Number(f.uid.value), Number(f.gid.value)]);
});
