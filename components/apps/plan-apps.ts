import { sortDocuments, stableJson, type RenderedDocument } from '../plan/documents';
import { FRAMEWORK_NAMES } from '../plan/topology';

import { renderSecretWriter, sortSecretFiles, type SecretFile } from './render-secret-files';
import { committedImageSources } from '../platform/image-sources';
import { planImages, type ImagesPlan } from '../platform/plan-images';
import { ClusterSpecError } from '../model/issues';
import type { AppName, ClusterSpec } from '../model/types';
import type { ChronosJobDefinition, MarathonAppDefinition } from './api/marathon-types';
import { appContext, APP_PORTS, placeholdersIn, type RenderedApp } from './render-common';
import { backupSecretFiles, renderJobs } from './render-jobs';
import { renderJupyter, renderZeppelin, zeppelinPasswordSecret } from './render-notebooks';
import { renderBlazegraph, renderJenkins, renderLightning, renderLivy } from './render-services';
import { renderSparkApps } from './render-spark';
import { validateCapacity } from './validate-capacity';
import { validateChronosJob, validateMarathonApp } from './validate-marathon-app';

/**
 * The apps layer as plain data: every Marathon app and Chronos job the cluster runs, the documents
 * `npm run plan` writes (marathon/<id-with-dashes>.json, chronos/<name>.json) with secrets as placeholders,
 * and the passwords the umbrella must generate. Throws a ClusterSpecError when the apps do not fit the agents.
 */

export interface PlannedApp extends RenderedApp {
  /** `zeppelin.marathon.mesos`, from the reversed id (Mesos-DNS naming). */
  readonly dnsName: string;
  /** Secret placeholder names used in the definition. */
  readonly secrets: readonly string[];
  /** Deploy-time value placeholders (e.g. framework-principal). */
  readonly values: readonly string[];
}

export interface PlannedJob {
  readonly definition: ChronosJobDefinition;
  readonly secrets: readonly string[];
  readonly values: readonly string[];
}

export interface GeneratedSecret {
  readonly name: string;
  readonly app: AppName;
  /** The user the password belongs to (for the exported credentials). */
  readonly username: string;
}

export interface AppsPlan {
  readonly domain: string;
  readonly apps: readonly PlannedApp[];
  readonly jobs: readonly PlannedJob[];
  readonly generated: readonly GeneratedSecret[];
  readonly zeppelinUsers: readonly string[];
  /** The local Zeppelin users with its admin role (appSettings.zeppelin.admins), sorted. */
  readonly zeppelinAdmins: readonly string[];
  /** Every app's secret files, sorted (render-secret-files.ts); placeholders until deploy. */
  readonly secretFiles: readonly SecretFile[];
  /** The script the writer container on each agent runs to put them in place. */
  readonly secretWriter: string;
  /** Every secret a definition, a job or a secret file names, sorted: what the deploy must supply. */
  readonly secretNames: readonly string[];
  readonly documents: readonly RenderedDocument[];
}

/** An app's UI as a stack output entry: `spark-dispatcher` → host, port and path (without the scheme). */
export interface AppUi {
  readonly key: string;
  readonly dnsName: string;
  readonly port: number;
  readonly path: string;
}

/** The UIs of the planned apps, keyed by Marathon id with `/` as `-` (the `appUrls` output's keys). */
export function appUis(apps: readonly PlannedApp[]): AppUi[] {
  return apps.flatMap((a) =>
    a.ui === undefined
      ? []
      : [
          {
            key: a.definition.id.replace(/^\/+/, '').replace(/\//g, '-'),
            dnsName: a.dnsName,
            port: a.ui.port,
            path: a.ui.path,
          },
        ],
  );
}

/**
 * The `appUrls` output without the edge: plain HTTP to each app's Mesos-DNS name, or to `host` where every app
 * runs on one machine whose resolver is not Mesos-DNS (the local trial: the browser is on that machine).
 */
export function clusterAppUrls(apps: readonly PlannedApp[], host?: string): Record<string, string> {
  return Object.fromEntries(
    appUis(apps).map((u) => [u.key, `http://${host ?? u.dnsName}:${u.port}${u.path}`]),
  );
}

/** Marathon `/spark/dispatcher` → Mesos-DNS `dispatcher-spark.marathon.<domain>` (PathId.toHostname, RFC 952). */
export function dnsNameFor(id: string, domain: string): string {
  const label = id
    .replace(/^\/+/, '')
    .split('/')
    .reverse()
    .join('-')
    .replace(/\./g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .slice(0, 24)
    .replace(/-+$/, '');
  return `${label}.${FRAMEWORK_NAMES.marathon}.${domain}`;
}

export function marathonDocumentPath(id: string): string {
  return `marathon/${id.replace(/^\/+/, '').replace(/\//g, '-')}.json`;
}

export function planApps(
  spec: ClusterSpec,
  images: ImagesPlan = planImages(spec, committedImageSources()),
): AppsPlan {
  const ctx = appContext(spec, images);
  const enabled = new Set(spec.apps.enabled);
  const livyUrl = `http://${dnsNameFor('/livy', spec.domain)}:${APP_PORTS.livy}`;
  const rendered: RenderedApp[] = [];
  if (enabled.has('spark')) rendered.push(...renderSparkApps(ctx));
  if (enabled.has('zeppelin')) rendered.push(renderZeppelin(ctx));
  if (enabled.has('livy')) rendered.push(renderLivy(ctx));
  if (enabled.has('blazegraph')) rendered.push(renderBlazegraph(ctx));
  if (enabled.has('lightning')) rendered.push(renderLightning(ctx));
  if (enabled.has('jupyter')) rendered.push(renderJupyter(ctx, livyUrl));
  if (enabled.has('jenkins')) rendered.push(renderJenkins(ctx));
  const ids = new Set(rendered.map((r) => r.definition.id));

  const apps: PlannedApp[] = rendered
    .map((r) => ({
      ...r,
      after: r.after.filter((id) => ids.has(id)),
      dnsName: dnsNameFor(r.definition.id, spec.domain),
      secrets: placeholdersIn(r.definition, 'secret'),
      values: placeholdersIn(r.definition, 'value'),
    }))
    .sort((a, b) => (a.definition.id < b.definition.id ? -1 : 1));
  const jobs: PlannedJob[] = renderJobs(ctx).map((definition) => ({
    definition,
    secrets: placeholdersIn(definition, 'secret'),
    values: placeholdersIn(definition, 'value'),
  }));

  const problems = [
    ...apps.flatMap((a) =>
      validateMarathonApp(a.definition).map((i) => ({
        path: `apps.${a.app}`,
        message: `${a.definition.id}${i.path}: ${i.message}`,
      })),
    ),
    ...jobs.flatMap((j) =>
      validateChronosJob(j.definition).map((i) => ({
        path: 'apps.jobs',
        message: `${j.definition.name}.${i.path}: ${i.message}`,
      })),
    ),
    ...validateCapacity(
      spec,
      apps.map((a) => a.definition as MarathonAppDefinition),
    ),
  ];
  if (problems.length > 0) throw new ClusterSpecError(problems);

  const zeppelinUsers =
    enabled.has('zeppelin') && spec.apps.zeppelin.auth === 'local'
      ? [...spec.apps.zeppelin.users].sort()
      : [];
  const zeppelinAdmins = zeppelinUsers.length > 0 ? [...spec.apps.zeppelin.admins].sort() : [];
  const generated: GeneratedSecret[] = [
    ...zeppelinUsers.map((u) => ({ name: zeppelinPasswordSecret(u), app: 'zeppelin' as const, username: u })),
    ...(enabled.has('lightning')
      ? [{ name: 'lightning-password', app: 'lightning' as const, username: 'admin' }]
      : []),
    ...(enabled.has('jupyter')
      ? [{ name: 'jupyter-password', app: 'jupyter' as const, username: 'jupyter' }]
      : []),
  ];

  const secretFiles = sortSecretFiles([
    ...rendered.flatMap((r) => r.secretFiles ?? []),
    ...backupSecretFiles(spec.authEnabled, spec.domain),
  ]);
  const secretWriter = renderSecretWriter(secretFiles);
  const documents = sortDocuments([
    ...apps.map((a) => ({ path: marathonDocumentPath(a.definition.id), content: stableJson(a.definition) })),
    ...jobs.map((j) => ({ path: `chronos/${j.definition.name}.json`, content: stableJson(j.definition) })),
    // Templates and the script only: the secrets themselves are filled in at deploy time.
    { path: 'apps/secret-files.json', content: stableJson(secretFiles) },
    { path: 'apps/secret-files.sh', content: secretWriter },
  ]);
  // Secrets live in files since they left the Marathon definitions: a name only a file uses is still needed.
  const secretNames = [
    ...new Set([
      ...apps.flatMap((a) => a.secrets),
      ...jobs.flatMap((j) => j.secrets),
      ...secretFiles.flatMap((f) => placeholdersIn(f.content, 'secret')),
    ]),
  ].sort();
  return {
    domain: spec.domain,
    apps,
    jobs,
    generated,
    zeppelinUsers,
    zeppelinAdmins,
    secretFiles,
    secretWriter,
    secretNames,
    documents,
  };
}
