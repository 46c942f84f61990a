import { createHash } from 'crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { stableJson, type RenderedDocument } from '../../components/plan/documents';
import { OpsError } from './cli-args';

/**
 * The on-disk backup format: `marathon/<app id path>.json` (one file per app, `/data/etl` ->
 * `marathon/data/etl.json`), `chronos/<job name>.json`, and `manifest.json` with counts and the sha256 of
 * every file. Definitions are stored in normal form (normalize.ts) and as stableJson, so two backups of
 * the same state are byte-identical apart from the manifest's timestamp.
 */
export const BACKUP_FORMAT_VERSION = 1;

export type Definition = Record<string, unknown>;

export interface BackupManifest {
  readonly formatVersion: number;
  readonly stack: string;
  readonly createdAt: string;
  readonly counts: { readonly marathonApps: number; readonly chronosJobs: number };
  /** Relative path -> sha256 hex of the file's bytes. */
  readonly files: Readonly<Record<string, string>>;
}

export interface BackupContents {
  readonly manifest: BackupManifest;
  readonly apps: readonly Definition[];
  readonly jobs: readonly Definition[];
}

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** `/data/etl` -> `marathon/data/etl.json`; refuses ids that could escape the backup directory. */
export function appFile(id: string): string {
  const segments = id.replace(/^\/+/, '').split('/');
  if (segments.length === 0 || !segments.every((s) => SEGMENT.test(s)))
    throw new OpsError(`Marathon app id ${JSON.stringify(id)} cannot be stored as a file name`);
  return `marathon/${segments.join('/')}.json`;
}

export function jobFile(name: string): string {
  if (!SEGMENT.test(name))
    throw new OpsError(`Chronos job name ${JSON.stringify(name)} cannot be stored as a file name`);
  return `chronos/${name}.json`;
}

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** `2026-11-25T06:30:00.123Z` -> `2026-11-25T06-30-00Z`: sortable and valid on every filesystem. */
export function backupTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
}

export function renderBackup(
  stack: string,
  createdAt: Date,
  apps: readonly Definition[],
  jobs: readonly Definition[],
): { documents: RenderedDocument[]; manifest: BackupManifest } {
  const documents: RenderedDocument[] = [
    ...apps.map((a) => ({ path: appFile(String(a.id)), content: stableJson(a) })),
    ...jobs.map((j) => ({ path: jobFile(String(j.name)), content: stableJson(j) })),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const seen = new Set<string>();
  for (const d of documents) {
    if (seen.has(d.path)) throw new OpsError(`two definitions map to the same backup file ${d.path}`);
    seen.add(d.path);
  }
  const files: Record<string, string> = {};
  for (const d of documents) files[d.path] = sha256(d.content);
  const manifest: BackupManifest = {
    formatVersion: BACKUP_FORMAT_VERSION,
    stack,
    createdAt: createdAt.toISOString(),
    counts: { marathonApps: apps.length, chronosJobs: jobs.length },
    files,
  };
  return { documents: [...documents, { path: 'manifest.json', content: stableJson(manifest) }], manifest };
}

function listJson(dir: string, base: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    const rel = `${base}/${entry}`;
    if (statSync(full).isDirectory()) out.push(...listJson(full, rel));
    else out.push(rel);
  }
  return out;
}

/**
 * Reads a backup and verifies it completely before anything is applied: the manifest's format, every
 * checksum, the counts, that no file is missing or unlisted, and that each file holds the app or job its
 * name says. Any mismatch is an OpsError naming the file.
 */
export function readBackup(dir: string): BackupContents {
  const manifestPath = path.join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new OpsError(`${dir} is not a backup: manifest.json is missing`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as BackupManifest;
  } catch (err) {
    throw new OpsError(`${manifestPath} is not valid JSON: ${(err as Error).message}`);
  }
  if (manifest.formatVersion !== BACKUP_FORMAT_VERSION)
    throw new OpsError(
      `${manifestPath}: unsupported formatVersion ${JSON.stringify(manifest.formatVersion)} (expected ${BACKUP_FORMAT_VERSION})`,
    );
  if (manifest.files === null || typeof manifest.files !== 'object')
    throw new OpsError(`${manifestPath}: "files" is missing`);
  const onDisk = [
    ...listJson(path.join(dir, 'marathon'), 'marathon'),
    ...listJson(path.join(dir, 'chronos'), 'chronos'),
  ];
  const unlisted = onDisk.filter((f) => !(f in manifest.files));
  if (unlisted.length > 0)
    throw new OpsError(`backup ${dir} has files the manifest does not list: ${unlisted.sort().join(', ')}`);
  const apps: Definition[] = [];
  const jobs: Definition[] = [];
  for (const [rel, expected] of Object.entries(manifest.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!/^(marathon|chronos)\//.test(rel) || rel.split('/').includes('..'))
      throw new OpsError(`${manifestPath} lists an unexpected path ${JSON.stringify(rel)}`);
    const file = path.join(dir, rel);
    if (!existsSync(file)) throw new OpsError(`backup file ${rel} is missing (listed in the manifest)`);
    const bytes = readFileSync(file);
    const actual = sha256(bytes);
    if (actual !== expected)
      throw new OpsError(
        `backup file ${rel} is corrupted: sha256 ${actual} does not match the manifest's ${expected}`,
      );
    let def: Definition;
    try {
      def = JSON.parse(bytes.toString('utf8')) as Definition;
    } catch (err) {
      throw new OpsError(`backup file ${rel} is not valid JSON: ${(err as Error).message}`);
    }
    if (rel.startsWith('marathon/')) {
      if (typeof def.id !== 'string' || appFile(def.id) !== rel)
        throw new OpsError(
          `backup file ${rel} holds app ${JSON.stringify(def.id)}, not the app its path names`,
        );
      apps.push(def);
    } else {
      if (typeof def.name !== 'string' || jobFile(def.name) !== rel)
        throw new OpsError(
          `backup file ${rel} holds job ${JSON.stringify(def.name)}, not the job its path names`,
        );
      jobs.push(def);
    }
  }
  const counts = manifest.counts ?? { marathonApps: -1, chronosJobs: -1 };
  if (counts.marathonApps !== apps.length || counts.chronosJobs !== jobs.length)
    throw new OpsError(
      `backup ${dir}: the manifest counts ${counts.marathonApps} apps and ${counts.chronosJobs} jobs, ` +
        `the files hold ${apps.length} and ${jobs.length}`,
    );
  return { manifest, apps, jobs };
}
