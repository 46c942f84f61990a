import * as pulumi from '@pulumi/pulumi';
import type { ChronosJobDefinition, MarathonAppDefinition } from './api/marathon-types';
import { ChronosJob } from './chronos-job';
import { MarathonApp } from './marathon-app';
import type { PlannedApp, PlannedJob } from './plan-apps';
import { fillInputs } from '../platform/fill-inputs';

/**
 * The catalog components: one thin component per app (Spark, Zeppelin, Livy, Blazegraph, Lightning,
 * Jupyter) and one for the maintenance jobs. Each turns its planned definitions into MarathonApp /
 * ChronosJob resources; placeholders are substituted here, inside the resource inputs, and a definition
 * that carries any secret becomes a secret input as a whole.
 */

/** How to reach Marathon/Chronos and what the placeholders stand for; built once by the Apps umbrella. */
export interface DeployContext {
  readonly marathonUrls: pulumi.Input<string[]>;
  readonly chronosUrls: pulumi.Input<string[]>;
  readonly marathonCredentials?: { readonly username: string; readonly password: pulumi.Input<string> };
  readonly chronosCredentials?: { readonly username: string; readonly password: pulumi.Input<string> };
  /** CA of the TLS edge when the URLs are the edge's. */
  readonly caCertificate?: pulumi.Input<string>;
  /** `{{secret:name}}` → secret value. */
  readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
  /** `{{value:name}}` → plain value. */
  readonly values: Readonly<Record<string, string>>;
  /** Platform resources every Marathon app waits for (Marathon, Chronos and the agents up). */
  readonly ready: readonly pulumi.Resource[];
  /** What Chronos jobs wait for (Marathon and Chronos up, no agent). */
  readonly schedulersReady: readonly pulumi.Resource[];
  /** Marathon app id → resource, so `after` can reach apps of other components. */
  readonly deployed: Map<string, MarathonApp>;
}

export interface CatalogAppArgs {
  readonly apps: readonly PlannedApp[];
  readonly context: DeployContext;
}

/** Fills placeholders; throws (at preview) naming the missing secret and how to provide it. */
export function substitute<T>(
  definition: T,
  what: string,
  context: Pick<DeployContext, 'secrets' | 'values'>,
): pulumi.Output<T> {
  const filled = fillInputs(JSON.stringify(definition), context, {
    missing: (kind, name) =>
      `${what} needs the ${kind} "${name}", which is not available: ${HOW_TO_PROVIDE[name] ?? 'check the platform layer'}`,
    // The value lands inside a JSON string literal.
    encode: (v) => JSON.stringify(v).slice(1, -1),
  });
  // The definition is plain JSON; Unwrap<T> is T for it.
  return pulumi.output(filled).apply((text) => JSON.parse(text) as T) as unknown as pulumi.Output<T>;
}

const HOW_TO_PROVIDE: Readonly<Record<string, string>> = {
  'ldap-bind-password': 'set it with `pulumi config set --secret stars:ldapBindPassword <password>`',
  'framework-secret': 'framework authentication is on but the platform exposes no framework credentials',
  'framework-principal': 'framework authentication is on but the platform exposes no framework credentials',
  'marathon-password': 'auth is on but the platform exposes no Marathon credentials',
  'marathon-username': 'auth is on but the platform exposes no Marathon credentials',
  'chronos-password': 'auth is on but the platform exposes no Chronos credentials',
  'chronos-username': 'auth is on but the platform exposes no Chronos credentials',
};

/** Resource-name slug of a Marathon id: `/spark/dispatcher` → `spark-dispatcher`. */
export function appSlug(id: string): string {
  return id.replace(/^\/+/, '').replace(/\//g, '-');
}

abstract class CatalogApp extends pulumi.ComponentResource {
  /** Marathon app id → resource. */
  readonly resources: Readonly<Record<string, MarathonApp>>;

  protected constructor(
    type: string,
    name: string,
    args: CatalogAppArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(type, name, {}, opts);
    const ctx = args.context;
    const created: Record<string, MarathonApp> = {};
    for (const planned of args.apps) {
      const id = planned.definition.id;
      const after = planned.after
        .map((a) => ctx.deployed.get(a))
        .filter((r): r is MarathonApp => r !== undefined);
      const resource = new MarathonApp(
        `${name}-${planned.definition.labels?.['stars.role'] ?? appSlug(id)}`,
        {
          marathonUrls: ctx.marathonUrls,
          ...(ctx.caCertificate === undefined ? {} : { caCertificate: ctx.caCertificate }),
          ...(ctx.marathonCredentials !== undefined
            ? { username: ctx.marathonCredentials.username, password: ctx.marathonCredentials.password }
            : {}),
          app: substitute<MarathonAppDefinition>(planned.definition, `Marathon app ${id}`, ctx),
        },
        { parent: this, dependsOn: [...ctx.ready, ...after] },
      );
      created[id] = resource;
      ctx.deployed.set(id, resource);
    }
    this.resources = created;
    this.registerOutputs({ appIds: Object.keys(created).sort() });
  }
}

/** Spark on Mesos: MesosClusterDispatcher, history server, external shuffle service per agent. */
export class Spark extends CatalogApp {
  constructor(name: string, args: CatalogAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:apps:Spark', name, args, opts);
  }
}

/** Zeppelin notebooks with the Spark interpreter on Mesos and Shiro auth. */
export class Zeppelin extends CatalogApp {
  constructor(name: string, args: CatalogAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:apps:Zeppelin', name, args, opts);
  }
}

/** Livy REST server for Spark sessions on Mesos. */
export class Livy extends CatalogApp {
  constructor(name: string, args: CatalogAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:apps:Livy', name, args, opts);
  }
}

/** Blazegraph SPARQL endpoint with a persistent journal. */
export class Blazegraph extends CatalogApp {
  constructor(name: string, args: CatalogAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:apps:Blazegraph', name, args, opts);
  }
}

/** Lightning visualization server behind basic auth. */
export class Lightning extends CatalogApp {
  constructor(name: string, args: CatalogAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:apps:Lightning', name, args, opts);
  }
}

/** The Jenkins LTS controller, for teams that keep their CI beside their data (optional). */
export class Jenkins extends CatalogApp {
  constructor(name: string, args: CatalogAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:apps:Jenkins', name, args, opts);
  }
}

/** JupyterLab with sparkmagic kernels pointed at Livy. */
export class Jupyter extends CatalogApp {
  constructor(name: string, args: CatalogAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:apps:Jupyter', name, args, opts);
  }
}

export interface MaintenanceJobsArgs {
  readonly jobs: readonly PlannedJob[];
  readonly context: DeployContext;
}

/** Scheduled maintenance on Chronos; dependent jobs wait for their parents' resources. */
export class MaintenanceJobs extends pulumi.ComponentResource {
  readonly resources: Readonly<Record<string, ChronosJob>>;

  constructor(name: string, args: MaintenanceJobsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:apps:MaintenanceJobs', name, {}, opts);
    const ctx = args.context;
    const created: Record<string, ChronosJob> = {};
    // Parents first, so /dependency never names a job Chronos does not know yet.
    const ordered = [...args.jobs].sort(
      (a, b) => (a.definition.parents?.length ?? 0) - (b.definition.parents?.length ?? 0),
    );
    for (const planned of ordered) {
      const job = planned.definition;
      const parents = (job.parents ?? [])
        .map((p) => created[p])
        .filter((r): r is ChronosJob => r !== undefined);
      created[job.name] = new ChronosJob(
        `${name}-${job.name}`,
        {
          chronosUrls: ctx.chronosUrls,
          ...(ctx.caCertificate === undefined ? {} : { caCertificate: ctx.caCertificate }),
          ...(ctx.chronosCredentials !== undefined
            ? { username: ctx.chronosCredentials.username, password: ctx.chronosCredentials.password }
            : {}),
          job: substitute<ChronosJobDefinition>(job, `Chronos job ${job.name}`, ctx),
        },
        { parent: this, dependsOn: [...ctx.schedulersReady, ...parents] },
      );
    }
    this.resources = created;
    this.registerOutputs({ jobNames: Object.keys(created).sort() });
  }
}
