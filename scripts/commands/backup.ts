import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { normalizeChronosJob, normalizeMarathonApp } from '../../components/apps/api/normalize';
import { apiClients, asOpsError } from '../lib/api-clients';
import { backupTimestamp, renderBackup } from '../lib/backup-format';
import {
  COMMON_USAGE,
  EXIT_OK,
  OpsError,
  UsageError,
  boolFlag,
  runCommand,
  stringFlag,
  type Command,
  optionsHelp,
  type FlagSpec,
} from '../lib/cli-args';
import { loadStackOutputs, requireBackupKey } from '../lib/stack-outputs';

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  out: { type: 'string', value: 'dir', help: 'write the backup here instead' },
};

const USAGE = `usage: npm run stars -- backup (--stack <name> | --outputs-file <json>) [--out <dir>]

Saves every Marathon app and Chronos job of the stack, in normal form (server-added status fields and
documented defaults dropped), one file per app id / job name, plus manifest.json with counts and checksums
keyed with the stack's backupKey (so only a backup of this stack that nobody changed restores). Default directory: backups/<stack>/<UTC timestamp>/. Restore with \`stars restore <dir>\`.

${COMMON_USAGE}
${optionsHelp(FLAGS)}`;

/**
 * A job in normal form, except that the full schedule (with its start time) is kept: normal form compares
 * only the period, but a restore must recreate the schedule exactly.
 */
export function backupJob(job: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const normal = normalizeChronosJob(job);
  return typeof job.schedule === 'string' ? { ...normal, schedule: job.schedule } : normal;
}

export const backupCmd: Command = {
  name: 'backup',
  summary: 'save every Marathon app and Chronos job to backups/<stack>/<timestamp>/',
  usage: USAGE,
  flags: FLAGS,
  run: (argv, io) =>
    runCommand(USAGE, argv, io, FLAGS, async (args) => {
      if (args.positionals.length > 0 || args.rest.length > 0)
        throw new UsageError(`unexpected argument ${JSON.stringify([...args.positionals, ...args.rest][0])}`);
      const { stack, outputs } = await loadStackOutputs(args);
      const key = requireBackupKey(outputs);
      const { marathon, chronos } = apiClients(outputs);
      const now = new Date();
      const out = path.resolve(stringFlag(args, 'out') ?? path.join('backups', stack, backupTimestamp(now)));
      if (existsSync(out) && readdirSync(out).length > 0)
        throw new OpsError(`${out} already exists and is not empty; choose another --out`);
      io.out(`reading Marathon apps from ${outputs.marathonUrl}`);
      const apps = (await asOpsError(() => marathon.listApps())).map((a) => normalizeMarathonApp(a));
      io.out(`  ${apps.length} app(s)`);
      io.out(`reading Chronos jobs from ${outputs.chronosUrl}`);
      const jobs = (await asOpsError(() => chronos.listJobs())).map(backupJob);
      io.out(`  ${jobs.length} job(s)`);
      const { documents } = renderBackup(stack, now, apps, jobs, key);
      if (boolFlag(args, 'dry-run')) {
        io.out(`dry run: would write ${documents.length} files to ${out}`);
        for (const d of documents) io.out(`  ${d.path}`);
        return EXIT_OK;
      }
      for (const d of documents) {
        const file = path.join(out, d.path);
        // App env and job commands can hold credentials: only the operator may read a backup.
        mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        writeFileSync(file, d.content, { flag: 'wx', mode: 0o600 });
      }
      io.out(`wrote ${apps.length} app(s) and ${jobs.length} job(s) to ${out}`);
      return EXIT_OK;
    }),
};
