import * as path from 'path';
import type { ChronosJobDefinition, MarathonAppDefinition } from '../../components/apps/api/marathon-types';
import { normalizeChronosJob, normalizeMarathonApp } from '../../components/apps/api/normalize';
import { apiClients, asOpsError } from '../lib/api-clients';
import { readBackup, type Definition } from '../lib/backup-format';
import {
  COMMON_USAGE,
  EXIT_FAILURE,
  EXIT_OK,
  UsageError,
  boolFlag,
  intFlag,
  runCommand,
  type Command,
  optionsHelp,
  type FlagSpec,
} from '../lib/cli-args';
import { orderJobs, planKind, type KindPlan } from '../lib/restore-plan';
import { escapeText } from '../../components/model/read-values';
import { loadStackOutputs, requireBackupKey } from '../lib/stack-outputs';

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  prune: { type: 'boolean', help: 'delete apps and jobs that are not in the backup' },
  force: {
    type: 'boolean',
    help: 'override Marathon deployments that lock an app (only for stuck deployments)',
  },
  'trust-unkeyed': {
    type: 'boolean',
    help: 'accept a format-1 backup (plain sha256 anyone can recompute) you trust',
  },
  'deployment-timeout': {
    type: 'string',
    value: 's',
    help: 'wait at most this long for each Marathon deployment, default 600',
  },
};

const USAGE = `usage: npm run stars -- restore <backup-dir> (--stack <name> | --outputs-file <json>) [--prune]

Puts a backup made by \`stars backup\` back, idempotently: apps and jobs that already match are left alone
(reported as unchanged), missing ones are created, differing ones replaced. Live apps/jobs that are not in
the backup are only listed, unless --prune deletes them. The manifest's seal and keyed checksums (the
stack's backupKey) are verified before anything is touched (a changed or corrupted backup changes nothing); dependent Chronos jobs are restored after their
parents; afterwards everything is read back and compared.

${COMMON_USAGE}
${optionsHelp(FLAGS)}`;

const appKey = (d: Definition): string => String(d.id);
const jobKey = (d: Definition): string => String(d.name);
/** Ids and names come from Marathon's and Chronos' answers: printed with control characters escaped. */
const shown = (names: readonly string[]): string => escapeText(names.join(', ')) || '-';

function describe(kind: string, plan: KindPlan, prune: boolean): string[] {
  const names = (ds: readonly Definition[], key: (d: Definition) => string): string => shown(ds.map(key));
  const key = kind === 'apps' ? appKey : jobKey;
  return [
    `${kind}: ${plan.create.length} to create, ${plan.update.length} to update, ${plan.unchanged.length} unchanged, ` +
      `${plan.extra.length} not in the backup${plan.extra.length > 0 ? (prune ? ' (to delete)' : ' (kept; --prune deletes)') : ''}`,
    `  create: ${names(plan.create, key)}`,
    `  update: ${names(plan.update, key)}`,
    `  unchanged: ${shown(plan.unchanged)}`,
    ...(plan.extra.length > 0 ? [`  ${prune ? 'delete' : 'extra'}: ${shown(plan.extra)}`] : []),
  ];
}

export const restoreCmd: Command = {
  name: 'restore',
  summary: 'put a backup back (idempotent; --prune removes what the backup lacks)',
  usage: USAGE,
  flags: FLAGS,
  run: (argv, io) =>
    runCommand(USAGE, argv, io, FLAGS, async (args) => {
      if (args.positionals.length !== 1 || args.rest.length > 0)
        throw new UsageError(
          args.positionals.length === 0
            ? 'the backup directory is required'
            : 'give exactly one backup directory',
        );
      const prune = boolFlag(args, 'prune');
      const force = boolFlag(args, 'force');
      const timeoutMs = intFlag(args, 'deployment-timeout', 600, 1, 86_400) * 1000;
      const dir = path.resolve(args.positionals[0]);
      const { stack, outputs } = await loadStackOutputs(args);
      // Verify the whole backup before any call to the cluster, so a corrupted backup changes nothing.
      const trustUnkeyed = boolFlag(args, 'trust-unkeyed');
      const backup = readBackup(dir, trustUnkeyed ? (outputs.backupKey ?? '') : requireBackupKey(outputs), {
        trustUnkeyed,
      });
      io.out(
        `backup ${dir}: ${backup.apps.length} app(s), ${backup.jobs.length} job(s), ` +
          `${backup.manifest.formatVersion === 1 ? 'unkeyed checksums verified (trusted on request)' : 'seal and keyed checksums verified'} ` +
          `(stack ${backup.manifest.stack}, taken ${backup.manifest.createdAt})`,
      );
      if (backup.manifest.stack !== stack)
        io.out(`note: restoring a backup of stack ${backup.manifest.stack} into stack ${stack}`);
      const { marathon, chronos } = apiClients(outputs);

      const readApps = async (): Promise<Definition[]> => asOpsError(() => marathon.listApps());
      const readJobs = async (): Promise<Definition[]> => asOpsError(() => chronos.listJobs());
      const normApp = (d: Definition): Definition => normalizeMarathonApp(d);
      const normJob = (d: Definition): Definition => normalizeChronosJob(d);
      const desiredApps = backup.apps;
      const desiredJobs = backup.jobs;
      const liveJobs = await readJobs();
      const appPlan = planKind(desiredApps, await readApps(), appKey, normApp);
      const jobPlan = planKind(desiredJobs, liveJobs, jobKey, normJob);
      const extraJobs = new Set(jobPlan.extra);
      const survivingLive = new Set(liveJobs.map(jobKey).filter((n) => !(prune && extraJobs.has(n))));
      const jobOrder = orderJobs([...jobPlan.create, ...jobPlan.update], survivingLive);
      // Every parent must exist once the restore is done, whether changed or not.
      orderJobs(desiredJobs, survivingLive);

      for (const line of [...describe('apps', appPlan, prune), ...describe('jobs', jobPlan, prune)])
        io.out(line);
      if (boolFlag(args, 'dry-run')) {
        io.out('dry run: nothing changed');
        return EXIT_OK;
      }

      const deployments: string[] = [];
      for (const app of [...appPlan.create, ...appPlan.update]) {
        io.out(`marathon: ${appPlan.create.includes(app) ? 'creating' : 'updating'} ${appKey(app)}`);
        const r = await asOpsError(() => marathon.putApp(app as MarathonAppDefinition, { force }));
        deployments.push(r.deploymentId);
      }
      if (prune)
        for (const id of appPlan.extra) {
          io.out(`marathon: deleting ${escapeText(id)}`);
          const r = await asOpsError(() => marathon.deleteApp(id, { force }));
          if (r !== undefined) deployments.push(r.deploymentId);
        }
      for (const [i, id] of deployments.entries()) {
        io.out(`marathon: waiting for deployment ${id} (${i + 1}/${deployments.length})`);
        await asOpsError(() => marathon.waitForDeployment(id, { timeoutMs, pollMs: 1000 }));
      }
      for (const job of jobOrder) {
        io.out(`chronos: ${jobPlan.create.includes(job) ? 'creating' : 'updating'} ${jobKey(job)}`);
        await asOpsError(() => chronos.putJob(job as ChronosJobDefinition));
      }
      if (prune) {
        // Dependants before their parents, the reverse of creation order.
        const extras = liveJobs.filter((j) => extraJobs.has(jobKey(j)));
        for (const job of orderJobs(extras, new Set(liveJobs.map(jobKey))).reverse()) {
          io.out(`chronos: deleting ${escapeText(jobKey(job))}`);
          await asOpsError(() => chronos.deleteJob(jobKey(job)));
        }
      }

      // Read back and compare: the restore is done only when the APIs hold what the backup holds.
      const after = [
        planKind(desiredApps, await readApps(), appKey, normApp),
        planKind(desiredJobs, await readJobs(), jobKey, normJob),
      ];
      const problems: string[] = [];
      for (const [kind, p] of [
        ['app', after[0]],
        ['job', after[1]],
      ] as const) {
        const key = kind === 'app' ? appKey : jobKey;
        for (const d of p.create) problems.push(`${kind} ${escapeText(key(d))} is missing`);
        for (const d of p.update) problems.push(`${kind} ${escapeText(key(d))} differs from the backup`);
        if (prune)
          for (const x of p.extra) problems.push(`${kind} ${escapeText(x)} is still there after --prune`);
      }
      if (problems.length > 0) {
        io.err(`error: verification failed after restore: ${problems.join('; ')}`);
        return EXIT_FAILURE;
      }
      const changed =
        appPlan.create.length + appPlan.update.length + jobPlan.create.length + jobPlan.update.length;
      const removed = prune ? appPlan.extra.length + jobPlan.extra.length : 0;
      io.out(
        `restore verified: ${changed} changed, ${appPlan.unchanged.length + jobPlan.unchanged.length} unchanged, ` +
          `${removed} deleted`,
      );
      return EXIT_OK;
    }),
};
