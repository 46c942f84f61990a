import { createHash } from 'crypto';
import { APP_SECRETS_DIR } from '../plan/topology';
import type { AppsPlan } from './plan-apps';

/**
 * What the agents' Docker guard (images/mesos/stars-docker-guard) lets an image mount from the host: every
 * host path a planned app or job mounts, for that app's image repository, at most its mode. Mounts that hold
 * an operator's login or the Docker socket are also pinned to the exact command the platform runs there, so a
 * task that names the same image (a Spark executor can name any) gets no further. The guard reads the
 * committed `images/mesos/docker-guard.policy`, which tests hold equal to `renderDockerGuardPolicy` of the
 * plans of every stack shape.
 */
export interface GuardGrant {
  readonly hostPath: string;
  /** Image repository (no tag or digest), or `*` for the site's own image (Lightning). */
  readonly repository: string;
  readonly mode: 'ro' | 'rw';
  /** sha256 of the shell command the container must run, or `-`. */
  readonly commandSha256: string;
}

/** Host paths whose mounts are pinned to their command: the Docker socket and the backup jobs' logins. */
export const PINNED_HOST_PATHS: readonly string[] = ['/var/run/docker.sock', `${APP_SECRETS_DIR}/backups`];

/** The repository the guard compares: no tag or digest; a project image without the site registry's prefix. */
export function imageRepository(image: string): string {
  const noDigest = image.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const repository = colon > slash ? noDigest.slice(0, colon) : noDigest;
  const project = repository.lastIndexOf('/stars/');
  return project >= 0 ? repository.slice(project + 1) : repository;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The grants a plan needs; `siteImages` (Lightning's) become `*`, since the site names them. */
export function guardGrants(apps: AppsPlan, siteImages: readonly string[] = []): GuardGrant[] {
  const out: GuardGrant[] = [];
  const add = (image: string, hostPath: string, mode: string, command?: string) =>
    out.push({
      hostPath,
      repository: siteImages.includes(image) ? '*' : imageRepository(image),
      mode: mode.toLowerCase() === 'ro' ? 'ro' : 'rw',
      commandSha256: PINNED_HOST_PATHS.includes(hostPath) && command !== undefined ? sha256(command) : '-',
    });
  for (const a of apps.apps) {
    const c = a.definition.container;
    for (const v of c?.volumes ?? [])
      if (v.hostPath !== undefined) add(c?.docker?.image ?? '', v.hostPath, v.mode, a.definition.cmd);
  }
  for (const j of apps.jobs) {
    const c = j.definition.container;
    for (const v of c?.volumes ?? []) add(c?.image ?? '', v.hostPath, v.mode, j.definition.command);
  }
  return out;
}

/** One line per grant, sorted and without duplicates: `<host path> <repository> <ro|rw> <sha256|->`. */
export function renderDockerGuardPolicy(grants: readonly GuardGrant[]): string {
  const lines = new Set(grants.map((g) => `${g.hostPath} ${g.repository} ${g.mode} ${g.commandSha256}`));
  return [
    '# Rendered from the app plans (components/apps/docker-guard-policy.ts); read by stars-docker-guard.',
    '# host-path image-repository max-mode command-sha256',
    ...[...lines].sort(),
    '',
  ].join('\n');
}
