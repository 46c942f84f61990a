import { createHash, createHmac, timingSafeEqual } from 'crypto';
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, readSync } from 'fs';
import * as path from 'path';
import { stableJson, type RenderedDocument } from '../../components/plan/documents';
import { OpsError } from './cli-args';

/**
 * The on-disk backup format: `marathon/<app id path>.json` (one file per app, `/data/etl` ->
 * `marathon/data/etl.json`), `chronos/<job name>.json`, and `manifest.json` with counts and a checksum of every
 * file. Format 2 keys the checksums (HMAC-SHA256 with the stack's `backupKey`) and seals the manifest itself,
 * so whoever can write the backup but does not hold the key cannot make a restore accept a changed app (a
 * plain sha256, format 1, anyone can recompute). Definitions are stored in normal form (normalize.ts) and as
 * stableJson, so two backups of the same state are byte-identical apart from the manifest's timestamp.
 */
export const BACKUP_FORMAT_VERSION = 2;

export type Definition = Record<string, unknown>;

export interface BackupManifest {
  readonly formatVersion: number;
  readonly stack: string;
  readonly createdAt: string;
  readonly counts: { readonly marathonApps: number; readonly chronosJobs: number };
  /** Relative path -> HMAC-SHA256 hex of the file's bytes (format 1: plain sha256). */
  readonly files: Readonly<Record<string, string>>;
  /** HMAC-SHA256 hex of the manifest without this field (format 2). */
  readonly mac?: string;
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

export function hmac(key: string, content: string | Buffer): string {
  return createHmac('sha256', key).update(content).digest('hex');
}

function manifestMac(key: string, manifest: BackupManifest): string {
  const sealed: Record<string, unknown> = { ...manifest };
  delete sealed.mac;
  return hmac(key, stableJson(sealed));
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
  key: string,
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
  for (const d of documents) files[d.path] = hmac(key, d.content);
  const unsealed: BackupManifest = {
    formatVersion: BACKUP_FORMAT_VERSION,
    stack,
    createdAt: createdAt.toISOString(),
    counts: { marathonApps: apps.length, chronosJobs: jobs.length },
    files,
  };
  const manifest = { ...unsealed, mac: manifestMac(key, unsealed) };
  return { documents: [...documents, { path: 'manifest.json', content: stableJson(manifest) }], manifest };
}

/** Regular files under `dir` (relative to the backup as `base/...`); a link or device is refused, never followed. */
function listFiles(dir: string, base: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    const rel = `${base}/${entry}`;
    const st = lstatSync(full);
    if (st.isSymbolicLink())
      throw new OpsError(
        `backup has a symbolic link at ${rel}; a backup holds only regular files (remove it)`,
      );
    if (st.isDirectory()) out.push(...listFiles(full, rel));
    else if (st.isFile()) out.push(rel);
    else throw new OpsError(`backup has ${rel}, which is not a regular file (remove it)`);
  }
  return out;
}

export interface ReadBackupOptions {
  /** Accept format 1 (plain sha256, which anyone can recompute): only for backups whose origin is trusted. */
  readonly trustUnkeyed?: boolean;
}

/**
 * The largest definition a backup file may hold: an app or a job is a few KB, so 16 MiB is far above any real one
 * and bounds what a restore holds in memory. The manifest (one line per file) gets the same bound.
 */
export const MAX_DEFINITION_BYTES = 16 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;

const HEX64 = /^[0-9a-f]{64}$/;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const sameHex = (a: string, b: string): boolean =>
  HEX64.test(a) && HEX64.test(b) && timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));

function readManifest(dir: string, key: string, options: ReadBackupOptions): BackupManifest {
  const manifestPath = path.join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new OpsError(`${dir} is not a backup: manifest.json is missing`);
  const st = lstatSync(manifestPath);
  if (!st.isFile()) throw new OpsError(`${manifestPath} is not a regular file (a link is never followed)`);
  if (st.size > MAX_DEFINITION_BYTES)
    throw new OpsError(
      `${manifestPath} is ${st.size} bytes, more than a manifest can be (at most ${MAX_DEFINITION_BYTES})`,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (err) {
    throw new OpsError(`${manifestPath} is not valid JSON: ${(err as Error).message}`);
  }
  if (!isRecord(raw))
    throw new OpsError(`${manifestPath} must be a JSON object (the manifest \`stars backup\` writes)`);
  const m = raw as Partial<BackupManifest>;
  if (m.formatVersion === 1 && options.trustUnkeyed !== true)
    throw new OpsError(
      `${manifestPath}: format 1 has plain sha256 checksums, which anyone who can change the backup can recompute; ` +
        'restore it only if you trust where it came from, with --trust-unkeyed',
    );
  if (m.formatVersion !== 1 && m.formatVersion !== BACKUP_FORMAT_VERSION)
    throw new OpsError(
      `${manifestPath}: unsupported formatVersion ${JSON.stringify(m.formatVersion)} (expected ${BACKUP_FORMAT_VERSION})`,
    );
  const files = m.files as unknown;
  if (!isRecord(files) || !Object.values(files).every((v) => typeof v === 'string' && HEX64.test(v)))
    throw new OpsError(`${manifestPath}: "files" must map each file to its 64-digit hex checksum`);
  const counts = m.counts as unknown as Record<string, unknown> | undefined;
  if (
    counts === null ||
    typeof counts !== 'object' ||
    !Number.isInteger(counts.marathonApps) ||
    !Number.isInteger(counts.chronosJobs)
  )
    throw new OpsError(`${manifestPath}: "counts" must hold the integers marathonApps and chronosJobs`);
  if (typeof m.stack !== 'string' || typeof m.createdAt !== 'string')
    throw new OpsError(`${manifestPath}: "stack" and "createdAt" must be strings`);
  const manifest = m as BackupManifest;
  if (
    manifest.formatVersion === BACKUP_FORMAT_VERSION &&
    (typeof manifest.mac !== 'string' || !sameHex(manifest.mac, manifestMac(key, manifest)))
  )
    throw new OpsError(
      `${manifestPath} is not sealed with this stack's backupKey: it was changed, or it belongs to another stack`,
    );
  return manifest;
}

/** A streaming checksum: fed chunk by chunk, so a file is never read whole before it is verified. */
export type Digester = () => { update(chunk: Buffer): unknown; digest(encoding: 'hex'): string };
export const sha256Digester: Digester = () => createHash('sha256');
export const hmacDigester =
  (key: string): Digester =>
  () =>
    createHmac('sha256', key);

/** The file's checksum read in fixed chunks; the bytes are kept only while within MAX_DEFINITION_BYTES. */
function digestFile(file: string, rel: string, digester: Digester): { hex: string; bytes: Buffer } {
  const st = lstatSync(file);
  if (!st.isFile()) throw new OpsError(`backup file ${rel} is not a regular file (a link is never followed)`);
  if (st.size > MAX_DEFINITION_BYTES)
    throw new OpsError(
      `backup file ${rel} is ${st.size} bytes; a definition is at most ${MAX_DEFINITION_BYTES} (changed or corrupted)`,
    );
  const hash = digester();
  const chunks: Buffer[] = [];
  let total = 0;
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
      total += n;
      // The file grew after lstat: stop before holding more than the limit.
      if (total > MAX_DEFINITION_BYTES)
        throw new OpsError(`backup file ${rel} grew past ${MAX_DEFINITION_BYTES} bytes while being read`);
      const chunk = Buffer.from(buffer.subarray(0, n));
      hash.update(chunk);
      chunks.push(chunk);
    }
  } finally {
    closeSync(fd);
  }
  return { hex: hash.digest('hex'), bytes: Buffer.concat(chunks, total) };
}

function readDefinition(dir: string, rel: string, expected: string, digester: Digester): Definition {
  if (!/^(marathon|chronos)\//.test(rel) || rel.split('/').some((p) => p === '..' || p === '.' || p === ''))
    throw new OpsError(`the manifest lists an unexpected path ${JSON.stringify(rel)}`);
  const file = path.join(dir, rel);
  if (!existsSync(file)) throw new OpsError(`backup file ${rel} is missing (listed in the manifest)`);
  const { hex: actual, bytes } = digestFile(file, rel, digester);
  if (!sameHex(actual, expected))
    throw new OpsError(
      `backup file ${rel} does not match its checksum in the manifest (changed or corrupted)`,
    );
  let def: unknown;
  try {
    def = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new OpsError(`backup file ${rel} is not valid JSON: ${(err as Error).message}`);
  }
  if (!isRecord(def)) throw new OpsError(`backup file ${rel} must hold one JSON object`);
  const d = def as Definition;
  const named = rel.startsWith('marathon/')
    ? typeof d.id === 'string' && appFile(d.id) === rel
    : typeof d.name === 'string' && jobFile(d.name) === rel;
  if (!named)
    throw new OpsError(
      `backup file ${rel} holds ${rel.startsWith('marathon/') ? `app ${JSON.stringify(d.id)}` : `job ${JSON.stringify(d.name)}`}, not the one its path names`,
    );
  return d;
}

/**
 * Reads a backup and verifies it completely before anything is applied: the manifest's form and seal, every
 * checksum, the counts, that no file is missing, unlisted or a link, and that each file holds the app or job
 * its name says. Any problem is an OpsError naming the file.
 */
export function readBackup(dir: string, key: string, options: ReadBackupOptions = {}): BackupContents {
  const manifest = readManifest(dir, key, options);
  const digester = manifest.formatVersion === 1 ? sha256Digester : hmacDigester(key);
  const onDisk = [
    ...listFiles(path.join(dir, 'marathon'), 'marathon'),
    ...listFiles(path.join(dir, 'chronos'), 'chronos'),
  ];
  const unlisted = onDisk.filter((f) => !Object.prototype.hasOwnProperty.call(manifest.files, f));
  if (unlisted.length > 0)
    throw new OpsError(`backup ${dir} has files the manifest does not list: ${unlisted.sort().join(', ')}`);
  const apps: Definition[] = [];
  const jobs: Definition[] = [];
  for (const [rel, expected] of Object.entries(manifest.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const def = readDefinition(dir, rel, expected, digester);
    (rel.startsWith('marathon/') ? apps : jobs).push(def);
  }
  const counts = manifest.counts;
  if (counts.marathonApps !== apps.length || counts.chronosJobs !== jobs.length)
    throw new OpsError(
      `backup ${dir}: the manifest counts ${counts.marathonApps} apps and ${counts.chronosJobs} jobs, ` +
        `the files hold ${apps.length} and ${jobs.length}`,
    );
  return { manifest, apps, jobs };
}
