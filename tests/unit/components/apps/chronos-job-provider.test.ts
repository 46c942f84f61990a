import { serializeFunction } from '@pulumi/pulumi/runtime/closure/serializeClosure';
import type * as dynamic from '@pulumi/pulumi/dynamic';
import type { ChronosJobDefinition } from '../../../../components/apps/api/marathon-types';
import {
  CHRONOS_PROVIDER_VERSION,
  chronosJobProvider,
  type ChronosJobProps,
} from '../../../../components/apps/chronos-job-provider';
import { ChronosDouble } from '../../../support/chronos-double';

// Serializing a provider walks its whole closure: seconds when CI runs every tier on two cores, not a speed claim.
const SERIALIZE_TIMEOUT_MS = 60_000;

const provider = chronosJobProvider as Required<dynamic.ResourceProvider<ChronosJobProps, ChronosJobProps>>;

const BACKUP: ChronosJobDefinition = {
  name: 'marathon-backup',
  command: 'curl -fsSL http://leader.mesos:8080/v2/apps > /backups/apps.json',
  schedule: 'R/2026-01-01T02:00:00Z/P1D',
  scheduleTimeZone: 'UTC',
  cpus: 0.1,
  mem: 64,
  retries: 2,
};
const AFTER: ChronosJobDefinition = {
  name: 'chronos-backup',
  command: 'curl -fsSL http://leader.mesos:4400/v1/scheduler/jobs',
  parents: ['marathon-backup'],
};

let chronos: ChronosDouble;
beforeEach(async () => {
  chronos = await new ChronosDouble({ credentials: { username: 'chronos', password: 'pw' } }).start();
});
afterEach(async () => {
  await chronos.stop();
});

const props = (job: ChronosJobDefinition, overrides: Partial<ChronosJobProps> = {}): ChronosJobProps => ({
  chronosUrls: [chronos.url],
  username: 'chronos',
  password: 'pw',
  job,
  retryBackoffMs: 1,
  providerVersion: CHRONOS_PROVIDER_VERSION,
  ...overrides,
});

describe('chronosJobProvider against the Chronos double', () => {
  test('a scheduled job is created through /v1/scheduler/iso8601 and a dependent one through /dependency', async () => {
    expect((await provider.create(props(BACKUP))).id).toBe('marathon-backup');
    expect((await provider.create(props(AFTER))).id).toBe('chronos-backup');
    expect(chronos.requests.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual([
      '/v1/scheduler/iso8601',
      '/v1/scheduler/dependency',
    ]);
    expect(chronos.jobs.get('chronos-backup')?.parents).toEqual(['marathon-backup']);
  });

  test('read drops the status fields and defaults, so an unchanged job diffs clean', async () => {
    const created = await provider.create(props(BACKUP));
    const read = await provider.read('marathon-backup', created.outs);
    expect(read.props?.job).toEqual({
      command: BACKUP.command,
      cpus: 0.1,
      mem: 64,
      name: 'marathon-backup',
      schedule: 'R/P1D',
      scheduleTimeZone: 'UTC',
    });
    expect(await provider.diff('marathon-backup', read.props as ChronosJobProps, props(BACKUP))).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  test('a command changed in Chronos is drift; update puts the declared job back', async () => {
    const created = await provider.create(props(BACKUP));
    chronos.jobs.set('marathon-backup', { ...BACKUP, command: 'true' });
    const read = await provider.read('marathon-backup', created.outs);
    expect(
      (await provider.diff('marathon-backup', read.props as ChronosJobProps, props(BACKUP))).changes,
    ).toBe(true);
    await provider.update('marathon-backup', read.props as ChronosJobProps, props(BACKUP));
    expect(chronos.jobs.get('marathon-backup')?.command).toBe(BACKUP.command);
  });

  test('a renamed job is replaced, deleting the old name first', async () => {
    const created = await provider.create(props(BACKUP));
    const diff = await provider.diff(
      'marathon-backup',
      created.outs as ChronosJobProps,
      props({ ...BACKUP, name: 'apps-backup' }),
    );
    expect(diff).toEqual({ changes: true, replaces: ['job'], deleteBeforeReplace: true });
  });

  test('delete removes the job; a job already gone reads as deleted and deletes quietly', async () => {
    const created = await provider.create(props(BACKUP));
    await provider.delete('marathon-backup', created.outs as ChronosJobProps);
    expect(chronos.jobs.has('marathon-backup')).toBe(false);
    expect(await provider.read('marathon-backup', created.outs)).toEqual({});
    await expect(
      provider.delete('marathon-backup', created.outs as ChronosJobProps),
    ).resolves.toBeUndefined();
  });

  test('a schedule Chronos cannot parse surfaces its 400 message', async () => {
    const err = await provider.create(props({ ...BACKUP, schedule: 'every day' })).catch((e: Error) => e);
    expect((err as Error).message).toBe(
      `POST ${chronos.url}/v1/scheduler/iso8601 rejected job marathon-backup (400): Cannot parse schedule 'every day'`,
    );
  });

  test('check names the bad schedule before anything is sent', async () => {
    const result = await provider.check(props(BACKUP), props({ ...BACKUP, schedule: 'every day' }));
    expect(result.failures?.[0].reason).toBe(
      'Chronos job marathon-backup is invalid:\n  - schedule: "every day" is not an ISO 8601 repeating interval like R/2025-01-01T03:00:00Z/P1D',
    );
    expect(chronos.requests).toEqual([]);
  });

  test('wrong credentials fail with the 401 message', async () => {
    const err = await provider.create(props(BACKUP, { password: 'nope' })).catch((e: Error) => e);
    expect((err as Error).message).toBe(
      `POST ${chronos.url}/v1/scheduler/iso8601 failed with 401: Invalid username or password.`,
    );
  });

  test('a non-leader redirect (307) is followed to the leader', async () => {
    const follower = await new ChronosDouble().start();
    try {
      follower.redirectTo(chronos.url);
      // chronosUrls lists every master (the stack's chronosUrls output); the follower is asked first.
      await provider.create(props(BACKUP, { chronosUrls: [follower.url, chronos.url] }));
      expect(chronos.jobs.has('marathon-backup')).toBe(true);
    } finally {
      await follower.stop();
    }
  });

  test(
    'the serialized provider still creates a job',
    async () => {
      const sf = await serializeFunction(() => chronosJobProvider, { allowSecrets: true });
      const mod: { exports: Record<string, () => typeof chronosJobProvider> } = { exports: {} };
      new Function('exports', 'module', 'require', sf.text)(mod.exports, mod, require);
      await mod.exports[sf.exportName]().create(props(BACKUP));
      expect(chronos.jobs.has('marathon-backup')).toBe(true);
    },
    SERIALIZE_TIMEOUT_MS,
  );
});
