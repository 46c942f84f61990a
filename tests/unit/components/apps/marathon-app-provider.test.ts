import { serializeFunction } from '@pulumi/pulumi/runtime/closure/serializeClosure';
import type * as dynamic from '@pulumi/pulumi/dynamic';
import type { MarathonAppDefinition } from '../../../../components/apps/api/marathon-types';
import { normalizeMarathonApp } from '../../../../components/apps/api/normalize';
import {
  MARATHON_PROVIDER_VERSION,
  marathonAppProvider,
  type MarathonAppProps,
  type MarathonAppState,
} from '../../../../components/apps/marathon-app-provider';
import { MarathonDouble } from '../../../support/marathon-double';

// Serializing a provider walks its whole closure: seconds when CI runs every tier on two cores, not a speed claim.
const SERIALIZE_TIMEOUT_MS = 60_000;
// Each test goes through the provider's own bounded waits (waitTimeoutSeconds below) against a double on
// loopback. Jest's 5 s default raced those on a loaded CI run (a test that takes 36 ms here ran out there), so
// the bound that decides is the provider's.
jest.setTimeout(30_000);

const provider = marathonAppProvider as Required<
  dynamic.ResourceProvider<MarathonAppProps, MarathonAppState>
>;

const APP: MarathonAppDefinition = {
  id: '/zeppelin',
  cmd: 'exec zeppelin.sh',
  cpus: 1,
  mem: 3072,
  instances: 1,
  portDefinitions: [{ port: 31890, protocol: 'tcp', name: 'http' }],
  requirePorts: true,
  healthChecks: [{ protocol: 'MESOS_HTTP', path: '/api/version', portIndex: 0, gracePeriodSeconds: 300 }],
  labels: { 'stars.app': 'zeppelin' },
};

let marathon: MarathonDouble;

beforeEach(async () => {
  marathon = await new MarathonDouble({ deploymentPolls: 2 }).start();
});
afterEach(async () => {
  await marathon.stop();
});

function props(overrides: Partial<MarathonAppProps> = {}): MarathonAppProps {
  return {
    marathonUrls: [marathon.url],
    app: APP,
    pollIntervalMs: 5,
    retryBackoffMs: 1,
    waitTimeoutSeconds: 5,
    providerVersion: MARATHON_PROVIDER_VERSION,
    ...overrides,
  };
}

describe('marathonAppProvider against the Marathon double', () => {
  test('create PUTs a full replace and returns once the deployment is gone and tasks are healthy', async () => {
    const result = await provider.create(props());
    expect(result.id).toBe('/zeppelin');
    expect(result.outs?.deploymentId).toMatch(/^00000000-/);
    const put = marathon.requests.find((r) => r.method === 'PUT');
    expect(put?.url).toBe('/v2/apps/zeppelin?partialUpdate=false');
    expect(marathon.requests.filter((r) => r.url === '/v2/deployments').length).toBeGreaterThanOrEqual(3);
    expect(marathon.deployments).toEqual([]);
    expect(marathon.apps.get('/zeppelin')?.mem).toBe(3072);
  });

  test('read after create normalises the GET answer back to the inputs, so diff reports no changes', async () => {
    const created = await provider.create(props());
    const read = await provider.read('/zeppelin', created.outs);
    // Only the documented defaults and read-only fields are gone; every value set stays.
    expect(read.inputs?.app).toEqual(normalizeMarathonApp(APP));
    expect(read.inputs?.app).toEqual({
      cmd: 'exec zeppelin.sh',
      healthChecks: [{ path: '/api/version', protocol: 'MESOS_HTTP' }],
      id: '/zeppelin',
      labels: { 'stars.app': 'zeppelin' },
      mem: 3072,
      portDefinitions: [{ name: 'http', port: 31890 }],
      requirePorts: true,
    });
    const diff = await provider.diff('/zeppelin', read.props as MarathonAppState, props());
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  test('a changed field is an in-place update that Marathon receives in full', async () => {
    const created = await provider.create(props());
    const news = props({ app: { ...APP, mem: 4096 } });
    expect((await provider.diff('/zeppelin', created.outs as MarathonAppState, news)).changes).toBe(true);
    await provider.update('/zeppelin', created.outs as MarathonAppState, news);
    expect(marathon.apps.get('/zeppelin')?.mem).toBe(4096);
  });

  test('a new id is a replacement', async () => {
    const created = await provider.create(props());
    const diff = await provider.diff(
      '/zeppelin',
      created.outs as MarathonAppState,
      props({ app: { ...APP, id: '/notebooks' } }),
    );
    expect(diff.replaces).toEqual(['app']);
  });

  test('a Docker app with fetched artifacts refreshes without a false diff (GET drops docker.network, fills artifact defaults)', async () => {
    const docker: MarathonAppDefinition = {
      ...APP,
      id: '/livy',
      container: {
        type: 'DOCKER',
        docker: { image: 'apache/spark:3.5.6', network: 'HOST' },
        volumes: [{ containerPath: '/opt/mesos/lib', hostPath: '/opt/mesos/lib', mode: 'RO' }],
      },
      fetch: [{ uri: 'https://archive.apache.org/dist/livy.zip', extract: true, cache: true }],
    };
    const created = await provider.create(props({ app: docker }));
    const res = await fetch(`${marathon.url}/v2/apps/livy`);
    const raw = ((await res.json()) as { app: Record<string, unknown> }).app;
    expect((raw.container as { docker: Record<string, unknown> }).docker.network).toBeUndefined();
    expect(raw.fetch).toEqual([
      { uri: 'https://archive.apache.org/dist/livy.zip', extract: true, executable: false, cache: true },
    ]);
    const read = await provider.read('/livy', created.outs);
    const diff = await provider.diff('/livy', read.props as MarathonAppState, props({ app: docker }));
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  test('delete sends force=false unless asked: a running deployment blocks it with 409 naming the deployment', async () => {
    const created = await provider.create(props());
    const blocking = marathon.lockApp('/zeppelin');
    const err = await provider.delete('/zeppelin', created.outs as MarathonAppState).catch((e: Error) => e);
    expect((err as Error).message).toContain('failed with 409');
    expect((err as Error).message).toContain(`Blocking deployment(s): ${blocking}`);
    expect(marathon.apps.has('/zeppelin')).toBe(true);
    expect(marathon.requests.filter((r) => r.method === 'DELETE').map((r) => r.url)).toEqual([
      '/v2/apps/zeppelin?force=false',
    ]);
    await provider.delete('/zeppelin', { ...(created.outs as MarathonAppState), force: true });
    expect(marathon.apps.has('/zeppelin')).toBe(false);
    expect(marathon.requests.filter((r) => r.method === 'DELETE').map((r) => r.url)[1]).toBe(
      '/v2/apps/zeppelin?force=true',
    );
  });

  test('drift made outside Pulumi shows up on read and as a diff', async () => {
    const created = await provider.create(props());
    const stored = marathon.apps.get('/zeppelin');
    marathon.apps.set('/zeppelin', { ...(stored as { id: string }), mem: 1024 });
    const read = await provider.read('/zeppelin', created.outs);
    expect((read.props as MarathonAppState).app.mem).toBe(1024);
    const diff = await provider.diff('/zeppelin', read.props as MarathonAppState, props());
    expect(diff.changes).toBe(true);
  });

  test('read of an app deleted outside Pulumi reports it gone', async () => {
    const created = await provider.create(props());
    marathon.apps.delete('/zeppelin');
    expect(await provider.read('/zeppelin', created.outs)).toEqual({});
  });

  test('delete removes the app and waits for its deployment; a missing app is not an error', async () => {
    const created = await provider.create(props());
    await provider.delete('/zeppelin', created.outs as MarathonAppState);
    expect(marathon.apps.has('/zeppelin')).toBe(false);
    expect(marathon.deployments).toEqual([]);
    await expect(provider.delete('/zeppelin', created.outs as MarathonAppState)).resolves.toBeUndefined();
  });

  test('a deployment that never finishes fails with its id and the unhealthy tasks', async () => {
    marathon.deploymentPolls = Infinity;
    marathon.setUnhealthy('/zeppelin');
    const err = await provider.create(props({ waitTimeoutSeconds: 0.2 })).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(
      'app /zeppelin did not become healthy within 0.2s: deployment 00000000-0000-4000-8000-000000000001 is still running; ' +
        '0/1 instances healthy; unhealthy tasks: zeppelin.instance-0 on agent-0: HTTP 503',
    );
  });

  test('503 twice then success: the change goes through after retries', async () => {
    marathon.failNext(2);
    const result = await provider.create(props());
    expect(result.id).toBe('/zeppelin');
    expect(marathon.requests.slice(0, 3).map((r) => r.method)).toEqual(['PUT', 'PUT', 'PUT']);
  });

  test('409 names the deployment that blocks the app; force=true overrides it', async () => {
    await provider.create(props());
    const blocking = marathon.lockApp('/zeppelin');
    const err = await provider.create(props({ app: { ...APP, mem: 2048 } })).catch((e: Error) => e);
    expect((err as Error).message).toContain(`Blocking deployment(s): ${blocking}`);
    expect((err as Error).message).toContain('failed with 409');
    await expect(provider.create(props({ app: { ...APP, mem: 2048 }, force: true }))).resolves.toMatchObject({
      id: '/zeppelin',
    });
    expect(marathon.requests.some((r) => r.url === '/v2/apps/zeppelin?partialUpdate=false&force=true')).toBe(
      true,
    );
  });

  test('422 surfaces every detail path and error', async () => {
    const bad = { ...APP, args: ['x'], cpus: 'one' as unknown as number };
    const err = await provider.create(props({ app: bad })).catch((e: Error) => e);
    expect((err as Error).message).toBe(
      `PUT ${marathon.url}/v2/apps/zeppelin?partialUpdate=false failed with 422: Object is not valid — ` +
        "/: AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.; /cpus: error.expected.jsnumber",
    );
  });

  test('check rejects an invalid definition before anything is sent', async () => {
    const result = await provider.check(props(), props({ app: { ...APP, id: '/Bad_Id', args: ['x'] } }));
    expect(result.failures?.map((f) => f.property)).toEqual(['app']);
    expect(result.failures?.[0].reason).toContain('/id: "/Bad_Id" must be lowercase letters');
    expect(result.failures?.[0].reason).toContain('/cmd: cmd and args cannot be set together; use one');
    expect(marathon.requests).toEqual([]);
  });
});

describe('marathonAppProvider with basic auth and leader redirects', () => {
  let secured: MarathonDouble;
  beforeEach(async () => {
    secured = await new MarathonDouble({
      credentials: { username: 'stars', password: 's3cret' },
      deploymentPolls: 1,
    }).start();
  });
  afterEach(async () => {
    await secured.stop();
  });

  test('a wrong password fails with the 401 message and without the password in it', async () => {
    const err = await provider
      .create(props({ marathonUrls: [secured.url], username: 'stars', password: 'wrong-pw' }))
      .catch((e: Error) => e);
    expect((err as Error).message).toBe(
      `PUT ${secured.url}/v2/apps/zeppelin?partialUpdate=false failed with 401: Invalid username or password.`,
    );
    expect((err as Error).message).not.toContain('wrong-pw');
  });

  test('the right credentials are sent on every request', async () => {
    await provider.create(props({ marathonUrls: [secured.url], username: 'stars', password: 's3cret' }));
    const expected = `Basic ${Buffer.from('stars:s3cret').toString('base64')}`;
    expect(new Set(secured.requests.map((r) => r.authorization))).toEqual(new Set([expected]));
  });

  test('a non-leader that redirects (307) to the leader, another master, is followed with the credentials kept', async () => {
    marathon.redirectTo(secured.url);
    // marathonUrls lists every master (the stack's marathonUrls output); the non-leader is asked first.
    await provider.create(
      props({ marathonUrls: [marathon.url, secured.url], username: 'stars', password: 's3cret' }),
    );
    expect(secured.apps.has('/zeppelin')).toBe(true);
  });
});

describe('the serialized provider (what Pulumi stores in the state)', () => {
  test(
    'serializes without capturing @pulumi/pulumi and still deploys an app',
    async () => {
      const sf = await serializeFunction(() => marathonAppProvider, { allowSecrets: true });
      expect(sf.text).not.toContain('@pulumi/pulumi');
      const mod: { exports: Record<string, () => typeof marathonAppProvider> } = { exports: {} };
      new Function('exports', 'module', 'require', sf.text)(mod.exports, mod, require);
      const revived = mod.exports[sf.exportName]();
      const result = await revived.create(props()).catch((e: Error) => {
        throw new Error(`${e.message}\n${e.stack}`);
      });
      expect(result.id).toBe('/zeppelin');
      expect(marathon.apps.has('/zeppelin')).toBe(true);
    },
    SERIALIZE_TIMEOUT_MS,
  );
});
