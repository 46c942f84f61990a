/**
 * Contract: the data backup script asks the pinned restic only for what restic has at that tag (its flags, its
 * JSON fields, its messages), and the image the hosts run is the one restic publishes for it.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { RESTIC_IMAGE } from '../../components/model/parse-data-backup';
import { facts } from './support/upstream-facts';

const SCRIPT = readFileSync(
  path.resolve(__dirname, '..', '..', 'components', 'hosts', 'scripts', 'data-backup.sh'),
  'utf8',
);
const f = facts('restic', '0.19.1').facts;

test('the hosts run the image restic publishes for 0.19.1', () => {
  expect(RESTIC_IMAGE).toBe(f.image.value);
});

test('every restic flag the script passes exists at the tag', () => {
  const calls = SCRIPT.split('\n').filter(
    (l) => /restic_or_fail|run_restic/.test(l) && !/^\s*#|\(\) \{/.test(l),
  );
  const flags = [
    ...new Set(calls.flatMap((l) => [...l.matchAll(/(?<![\w-])--[a-z][a-z-]+/g)].map((m) => m[0]))),
  ];
  expect(flags.length).toBeGreaterThan(5);
  expect(flags.filter((x) => !(f.flagsUsed.values ?? []).includes(x))).toEqual([]);
  expect(SCRIPT).toContain('-o "sftp.command=$STARS_SFTP_COMMAND"');
});

test('the JSON fields and messages the script reads are the ones restic prints', () => {
  for (const field of ['message_type', 'data_added', 'snapshot_id'])
    expect([
      field,
      (f.backupJsonSummary.values ?? []).includes(field),
      SCRIPT.includes(`"${field}"`),
    ]).toEqual([field, true, true]);
  for (const field of ['id', 'time', 'paths']) expect(f.snapshotsJson.values).toContain(field);
  expect(f.messages.values).toContain('Is there a repository at the following location?');
  expect(SCRIPT).toContain("grep -q 'Is there a repository at the following location'");
});

test('the script reads only the environment restic documents, besides its own STARS_ settings', () => {
  const vars = [...new Set([...SCRIPT.matchAll(/\$\{?(RESTIC_[A-Z_]+)/g)].map((m) => m[1]))].sort();
  expect(vars.filter((v) => !(f.environment.values ?? []).includes(v))).toEqual([]);
});
