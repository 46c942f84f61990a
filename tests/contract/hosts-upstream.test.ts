/**
 * Contract: the cloud-config every AWS instance boots with uses only keys the cloud-init schema of each release
 * our AMIs ship knows (Debian 12: 22.4.2, Rocky/Alma 9: 23.4, Ubuntu 24.04: 24.x), and hands the host key over
 * in the form cc_ssh installs (which then generates no key of its own). Facts: tests/contract/upstream/cloud-init.
 */
import { parse } from 'yaml';
import { planHosts, renderCloudInit } from '../../components/hosts/plan-hosts';
import { stackSpec } from '../unit/components/hosts/stack-spec';
import { facts, factValues } from './support/upstream-facts';

const RELEASES = ['22.4.2', '23.4', '24.4'];
const plan = planHosts(stackSpec('production'));
const KEY = {
  privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n',
  publicKey: 'ssh-ed25519 AAAA\n',
};
const docs = plan.hosts.map((h) => [
  h.name,
  parse(renderCloudInit(h.spec, h.aws!.scripts, plan.aws!.sshPublicKey, KEY)) as Record<string, unknown>,
]) as [string, Record<string, unknown>][];

const unknown = (names: readonly string[], known: ReadonlySet<string>): string[] =>
  names.filter((n) => !known.has(n)).sort();

describe.each(RELEASES)('cloud-init %s', (release) => {
  test.each(docs)(
    '%s: every top-level, user, write_files and power_state key is in the schema',
    (_host, doc) => {
      expect(unknown(Object.keys(doc), factValues('cloud-init', release, 'cloudConfigKeys'))).toEqual([]);
      const users = (doc.users as unknown[]).filter(
        (u): u is Record<string, unknown> => typeof u === 'object',
      );
      expect(unknown(users.flatMap(Object.keys), factValues('cloud-init', release, 'userItemKeys'))).toEqual(
        [],
      );
      const files = doc.write_files as Record<string, unknown>[];
      expect(
        unknown(files.flatMap(Object.keys), factValues('cloud-init', release, 'writeFilesItemKeys')),
      ).toEqual([]);
      if (doc.power_state !== undefined)
        expect(
          unknown(
            Object.keys(doc.power_state as object),
            factValues('cloud-init', release, 'powerStateKeys'),
          ),
        ).toEqual([]);
    },
  );

  test.each(docs)(
    '%s: the host key uses the ssh_keys names cc_ssh installs, so it generates none',
    (_host, doc) => {
      const f = facts('cloud-init', release).facts;
      const pattern = new RegExp(f.sshKeysPattern.value as string);
      expect(Object.keys(doc.ssh_keys as object).filter((k) => !pattern.test(k))).toEqual([]);
      expect(Object.keys(doc.ssh_keys as object).sort()).toEqual(['ed25519_private', 'ed25519_public']);
      expect(f.suppliedKeysDisableGeneration.value).toBe(true);
      // Deleting the image's keys is the default; the program says so explicitly.
      expect(doc.ssh_deletekeys).toBe(f.sshDeleteKeysDefault.value);
    },
  );
});
