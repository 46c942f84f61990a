import { DOWNLOAD_IMAGE } from '../model/artefacts';
import { PROJECT_IMAGE_LABEL } from '../model/catalog';
import { BACKUP_DIR, FRAMEWORK_NAMES, PORTS } from '../plan/topology';
import type { ChronosJobDefinition } from './api/marathon-types';
import { secretRef, valueRef, type AppContext } from './render-common';
import { secretFilePath, secretsVolume, type SecretFile } from './render-secret-files';

/** The backup jobs' secret directory on the agents, and their curl configs in it. */
const BACKUP_SECRETS_APP = 'backups';
const curlrc = (auth: string): string => `${auth.toLowerCase()}.curlrc`;

/** What each backup job saves: the API it reads and the file it writes. */
export function backupSources(domain: string): Record<'MARATHON' | 'CHRONOS', { url: string; file: string }> {
  return {
    MARATHON: {
      url: `http://${FRAMEWORK_NAMES.marathon}.${domain}:${PORTS.marathon}/v2/apps`,
      file: 'marathon-apps.json',
    },
    CHRONOS: {
      url: `http://${FRAMEWORK_NAMES.chronos}.${domain}:${PORTS.chronos}/v1/scheduler/jobs`,
      file: 'chronos-jobs.json',
    },
  };
}

/**
 * curl configs holding the Marathon and Chronos logins of the backup jobs (root runs them), with auth on, and
 * the URL: the job's command is then the same in every stack, which is what the agents' Docker guard pins
 * before it lets a container mount these files (images/mesos/docker-guard.policy).
 */
export function backupSecretFiles(authEnabled: boolean, domain: string): SecretFile[] {
  if (!authEnabled) return [];
  const sources = backupSources(domain);
  return (['MARATHON', 'CHRONOS'] as const).map((auth) => {
    const who = auth.toLowerCase();
    return {
      app: BACKUP_SECRETS_APP,
      name: curlrc(auth),
      uid: 0,
      // The generated passwords are alphanumeric and the URL a validated domain, so neither needs escaping.
      content:
        `url = "${sources[auth].url}"\n` +
        `user = "${valueRef(`${who}-username`)}:${secretRef(`${who}-password`)}"\n`,
    };
  });
}

/** The backup job's shell command (the URL is in the curl config when a login is needed). */
export function backupCommand(url: string, file: string, auth: string | undefined): string {
  return (
    // umask 077: the files (0600) and day directories (0700) hold app env, readable by root alone.
    `set -e; umask 077; d=/backups/$(date -u +%Y%m%d); mkdir -p "$d"; ` +
    // A non-leader Chronos answers 307 to the leader on another host; plain -L would drop -u there.
    // The login is a curl config file from the agent's secret directory: never an argument, never the job's env.
    (auth === undefined
      ? `curl -fsSL ${url} > "$d/${file}"; `
      : `curl -fsS --location-trusted -K ${secretFilePath(curlrc(auth))} > "$d/${file}"; `) +
    `find /backups -mindepth 1 -maxdepth 1 -mtime +${BACKUP_RETENTION_DAYS} -exec rm -rf {} +`
  );
}

/** The agents' Docker cleanup: its command is pinned by the Docker guard (it mounts the Docker socket). */
export const DOCKER_CLEANUP_COMMAND = `docker system prune --all --force --filter until=168h --filter label!=${PROJECT_IMAGE_LABEL}`;

/**
 * Scheduled maintenance on Chronos: a Docker cleanup on every agent (one job per agent, pinned by hostname)
 * and a nightly backup of the Marathon app definitions, with the Chronos job list backed up after it
 * (a dependent job, so it runs through /v1/scheduler/dependency).
 */

/** The backup jobs' image: curl in busybox, the image the project's builds download with. */
export const CURL_IMAGE = DOWNLOAD_IMAGE;
/** Daily at 03:00 UTC (cleanup) and 02:00 UTC (backup); Chronos runs a past start at the next period. */
export const CLEANUP_SCHEDULE = 'R/2026-01-01T03:00:00Z/P1D';
export const BACKUP_SCHEDULE = 'R/2026-01-01T02:00:00Z/P1D';
export const BACKUP_RETENTION_DAYS = 14;

export function dockerCleanupJobName(hostName: string): string {
  return `docker-cleanup-${hostName}`;
}

export function renderJobs(ctx: AppContext): ChronosJobDefinition[] {
  const cleanup = ctx.agents.map((h): ChronosJobDefinition => ({
    name: dockerCleanupJobName(h.name),
    description: `Remove stopped containers and images unused for 7 days on agent ${h.name}, but the Stars images`,
    // The project images are built on the host that runs them when no registry holds them (plan-images.ts): a
    // Spark image no task used for a week would be gone, and the next driver on this agent could not start.
    command: DOCKER_CLEANUP_COMMAND,
    schedule: CLEANUP_SCHEDULE,
    scheduleTimeZone: 'UTC',
    owner: 'stars-operators',
    retries: 1,
    cpus: 0.1,
    mem: 128,
    constraints: [['hostname', 'EQUALS', h.address]],
    container: {
      type: 'DOCKER',
      image: `docker:${ctx.versions.docker}-cli`,
      network: 'HOST',
      volumes: [{ containerPath: '/var/run/docker.sock', hostPath: '/var/run/docker.sock', mode: 'RW' }],
    },
  }));
  const pinnedHost = ctx.pinnedHost;
  const backup = (
    name: string,
    what: string,
    url: string,
    file: string,
    auth: string | undefined,
  ): ChronosJobDefinition => ({
    name,
    description: `Save ${what} to ${BACKUP_DIR} on ${pinnedHost}, keeping ${BACKUP_RETENTION_DAYS} days`,
    command: backupCommand(url, file, auth),
    owner: 'stars-operators',
    retries: 2,
    cpus: 0.1,
    mem: 64,
    constraints: [['hostname', 'EQUALS', pinnedHost]],
    container: {
      type: 'DOCKER',
      image: CURL_IMAGE,
      network: 'HOST',
      volumes: [
        { containerPath: '/backups', hostPath: BACKUP_DIR, mode: 'RW' },
        ...(auth === undefined ? [] : [secretsVolume(BACKUP_SECRETS_APP)]),
      ],
      // The curl image runs as an unprivileged user; the backup directory on the agent is root's.
      parameters: [{ key: 'user', value: '0' }],
    },
  });
  const auth = ctx.authEnabled;
  const sources = backupSources(ctx.domain);
  const marathonBackup = {
    ...backup(
      'marathon-backup',
      'the Marathon app definitions',
      sources.MARATHON.url,
      sources.MARATHON.file,
      auth ? 'MARATHON' : undefined,
    ),
    schedule: BACKUP_SCHEDULE,
    scheduleTimeZone: 'UTC',
  };
  const chronosBackup = {
    ...backup(
      'chronos-backup',
      'the Chronos job list',
      sources.CHRONOS.url,
      sources.CHRONOS.file,
      auth ? 'CHRONOS' : undefined,
    ),
    parents: ['marathon-backup'],
  };
  return [...cleanup, marathonBackup, chronosBackup];
}
