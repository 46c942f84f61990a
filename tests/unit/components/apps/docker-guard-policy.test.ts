import { readFileSync } from 'fs';
import * as path from 'path';
import {
  guardGrants,
  imageRepository,
  renderDockerGuardPolicy,
} from '../../../../components/apps/docker-guard-policy';
import { planCluster } from '../../../../components/plan-cluster';
import { MESOS_DIRS } from '../../../../components/platform/render-mesos';
import { stackSpec } from '../hosts/stack-spec';
import { LIGHTNING_IMAGE, everyShape } from './stack-shapes';

const POLICY_FILE = path.join(__dirname, '../../../../images/mesos/docker-guard.policy');

export function expectedPolicy(): string {
  return renderDockerGuardPolicy(everyShape().flatMap((p) => guardGrants(p.apps, [LIGHTNING_IMAGE])));
}

describe('docker guard policy', () => {
  test('the committed images/mesos/docker-guard.policy is exactly what the plans of every stack shape need', () => {
    expect(readFileSync(POLICY_FILE, 'utf8')).toBe(expectedPolicy());
  });

  test('only the Docker socket and the backup logins are pinned to a command', () => {
    const pinned = expectedPolicy()
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#') && !l.endsWith(' -'))
      .map((l) => l.split(' ').slice(0, 3).join(' '));
    expect([...new Set(pinned)]).toEqual([
      '/var/lib/stars/app-secrets/backups curlimages/curl ro',
      '/var/run/docker.sock docker rw',
    ]);
  });

  test("the guard's sandbox root is the agents' work_dir and its executor image the Stars Mesos image", () => {
    const guard = readFileSync(path.join(__dirname, '../../../../images/mesos/stars-docker-guard'), 'utf8');
    const executorImage = planCluster(stackSpec('staging')).platform.images.images.find(
      (i) => i.name === 'mesos',
    );
    expect(guard).toContain(`\nSANDBOXES=${MESOS_DIRS.agentWork}/slaves/\n`);
    expect(guard).toContain(`\nEXECUTOR_REPOSITORY=${imageRepository(executorImage?.ref ?? '')}\n`);
  });

  test.each([
    ['stars/spark:3.5.6-f534bf0ac8e2', 'stars/spark'],
    ['registry.example.org:5000/lightning:1.3.0', 'registry.example.org:5000/lightning'],
    ['registry.example.org:5000/lightning', 'registry.example.org:5000/lightning'],
    ['registry.example.org:5000/stars/spark:3.5.6-f534bf0ac8e2', 'stars/spark'],
    ['docker:27.5.1-cli@sha256:' + 'a'.repeat(64), 'docker'],
  ])('the repository of %s is %s', (image, repository) => {
    expect(imageRepository(image)).toBe(repository);
  });
});
