import { createServer } from 'http';
import type { AddressInfo } from 'net';
import { HttpClient, isHttpError, redactUrl } from '../../../../components/apps/api/http';
import {
  normalizeChronosJob,
  normalizeMarathonApp,
  normalizeSchedule,
} from '../../../../components/apps/api/normalize';
import { deploymentTimeoutSeconds } from '../../../../components/apps/api/timeouts';
import { MarathonDouble } from '../../../support/marathon-double';

describe('normalizeMarathonApp', () => {
  test('strips what Marathon adds on read and values equal to the documented defaults, keys sorted', () => {
    const fromGet = {
      id: 'web',
      cmd: 'run',
      args: null,
      cpus: 1,
      mem: 256,
      instances: 1,
      version: '2026-01-01T00:00:00.000Z',
      versionInfo: { lastScalingAt: 'x', lastConfigChangeAt: 'x' },
      tasksRunning: 1,
      tasksHealthy: 1,
      deployments: [],
      lastTaskFailure: { message: 'x' },
      backoffFactor: 1.15,
      maxLaunchDelaySeconds: 300,
      upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 },
      networks: [{ mode: 'host' }],
      env: {},
      healthChecks: [
        { protocol: 'HTTP', path: '/', portIndex: 0, gracePeriodSeconds: 300, intervalSeconds: 10 },
      ],
      container: { type: 'DOCKER', docker: { image: 'i:1', privileged: false, parameters: [] }, volumes: [] },
    };
    expect(JSON.stringify(normalizeMarathonApp(fromGet))).toBe(
      JSON.stringify({
        cmd: 'run',
        container: { docker: { image: 'i:1' }, type: 'DOCKER' },
        healthChecks: [{ intervalSeconds: 10, protocol: 'HTTP' }],
        id: '/web',
        mem: 256,
      }),
    );
  });

  test('container.docker.network (not returned by GET since 1.5) compares through the app networks', () => {
    const desired = {
      id: '/x',
      container: { type: 'DOCKER', docker: { image: 'i:1', network: 'HOST' } },
    };
    const fromGet = {
      id: '/x',
      networks: [{ mode: 'host' }],
      container: {
        type: 'DOCKER',
        docker: { image: 'i:1', forcePullImage: false, privileged: false, parameters: [] },
        volumes: [],
        portMappings: [],
      },
    };
    expect(normalizeMarathonApp(desired)).toEqual(normalizeMarathonApp(fromGet));
    expect(
      normalizeMarathonApp({
        id: '/x',
        container: { type: 'DOCKER', docker: { image: 'i', network: 'BRIDGE' } },
      }),
    ).toEqual({
      container: { docker: { image: 'i' }, type: 'DOCKER' },
      id: '/x',
      networks: [{ mode: 'container/bridge' }],
    });
  });

  test('fetch artifacts compare without the defaults GET fills in (extract true, executable/cache false)', () => {
    expect(
      normalizeMarathonApp({ id: '/x', cmd: 'c', fetch: [{ uri: 'https://h/a.tgz', cache: true }] }),
    ).toEqual(
      normalizeMarathonApp({
        id: '/x',
        cmd: 'c',
        fetch: [{ uri: 'https://h/a.tgz', extract: true, executable: false, cache: true }],
      }),
    );
    expect(
      normalizeMarathonApp({ id: '/x', cmd: 'c', fetch: [{ uri: 'u', extract: false, executable: true }] })
        .fetch,
    ).toEqual([{ executable: true, extract: false, uri: 'u' }]);
  });

  test('is idempotent', () => {
    const once = normalizeMarathonApp({ id: '/a', cmd: 'x', mem: 128, labels: { a: 'b' } });
    expect(normalizeMarathonApp(once)).toEqual(once);
  });
});

describe('normalizeChronosJob', () => {
  test('drops status fields, 2.x leftovers and defaults; numbers given as strings become numbers', () => {
    expect(
      normalizeChronosJob({
        name: 'dockerjob',
        command: 'x',
        schedule: 'R/2014-09-25T17:22:00Z/PT2M',
        cpus: '0.5',
        mem: '512',
        epsilon: 'PT30M',
        async: true,
        successCount: 3,
        errorCount: 0,
        lastSuccess: '',
        lastError: '',
        errorsSinceLastSuccess: 0,
        shell: true,
        retries: 2,
      }),
    ).toEqual({ command: 'x', cpus: 0.5, mem: 512, name: 'dockerjob', schedule: 'R/PT2M' });
  });

  test.each([
    ['R/2014-09-25T17:22:00Z/PT2M', 'R/PT2M'],
    ['R5//P1D', 'Rn/P1D'],
    ['not a schedule', 'not a schedule'],
  ])('schedule %s compares as %s (Chronos moves the start after each run)', (given, normal) => {
    expect(normalizeSchedule(given)).toBe(normal);
  });
});

describe('deploymentTimeoutSeconds', () => {
  test.each([
    ['no health check', { id: '/a' }, 600],
    [
      'Marathon defaults',
      { id: '/a', healthChecks: [{ protocol: 'HTTP' as const }] },
      600 + 300 + 60 * 3 + 20,
    ],
    [
      'a fast check over 4 instances with maximumOverCapacity 0.5 (two waves)',
      {
        id: '/a',
        instances: 4,
        upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.5 },
        healthChecks: [
          {
            protocol: 'MESOS_HTTP' as const,
            gracePeriodSeconds: 60,
            intervalSeconds: 10,
            maxConsecutiveFailures: 3,
            timeoutSeconds: 5,
          },
        ],
      },
      600 + (60 + 30 + 5) * 2,
    ],
  ])('%s', (_n, app, seconds) => {
    expect(deploymentTimeoutSeconds(app)).toBe(seconds);
  });
});

describe('HttpClient', () => {
  let double: MarathonDouble;
  beforeEach(async () => {
    double = await new MarathonDouble().start();
  });
  afterEach(async () => {
    await double.stop();
  });

  test('gives up after the bounded retries, backing off exponentially, and says so', async () => {
    const waits: number[] = [];
    double.failNext(10);
    const http = new HttpClient({
      baseUrls: [double.url],
      retries: 3,
      backoffMs: 100,
      sleep: async (ms) => void waits.push(ms),
    });
    const err = await http.request('GET', '/v2/apps').catch((e: Error) => e);
    expect(isHttpError(err)).toBe(true);
    expect((err as Error).message).toBe(
      `GET ${double.url}/v2/apps failed with 503: injected fault: service unavailable (gave up after 4 attempts)`,
    );
    expect(waits).toEqual([100, 200, 400]);
  });

  test('a dead base URL fails over to the next one', async () => {
    const http = new HttpClient({
      baseUrls: ['http://127.0.0.1:1', double.url],
      retries: 1,
      sleep: async () => undefined,
    });
    expect((await http.request('GET', '/v2/apps')).status).toBe(200);
  });

  test.each([
    ['PUT', 500, 1],
    ['POST', 502, 1],
    ['DELETE', 504, 1],
    ['PUT', 503, 3],
    ['GET', 500, 3],
  ])(
    'a %s answered %i is sent %i time(s): changes are repeated only when they cannot have applied',
    async (method, status, sent) => {
      let calls = 0;
      const server = createServer((_req, res) => {
        calls++;
        res.writeHead(status, { 'content-type': 'application/json' }).end('{"message":"boom"}');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const http = new HttpClient({ baseUrls: [url], retries: 2, sleep: async () => undefined });
        const body = method === 'GET' ? {} : { body: {} };
        const err = (await http.request(method, '/v2/apps/x', body).catch((e: Error) => e)) as Error;
        expect(calls).toBe(sent);
        expect(err.message).toBe(
          sent === 1
            ? `${method} ${url}/v2/apps/x failed with ${status}: boom (not retried: the ${method} may have been applied; check the current state, then run again)`
            : `${method} ${url}/v2/apps/x failed with ${status}: boom (gave up after 3 attempts)`,
        );
      } finally {
        await new Promise((r) => server.close(r));
      }
    },
  );

  test('a PUT to a base URL that refuses the connection fails over: it never reached a server', async () => {
    // A port nothing listens on any more (fetch refuses port 1 itself, before any connection).
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const http = new HttpClient({
      baseUrls: [`http://127.0.0.1:${port}`, double.url],
      retries: 1,
      sleep: async () => undefined,
    });
    expect(
      (await http.request('PUT', '/v2/apps/web', { body: { id: '/web', cmd: 'x' } })).status,
    ).toBeLessThan(500);
  });

  test.each([
    ['another base URL (the leader)', true],
    ['a host outside the base URLs', false],
  ])('a redirect to %s carries the credentials: %s', async (_to, carries) => {
    const seen: (string | undefined)[] = [];
    const target = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    const origin = createServer((_req, res) =>
      res.writeHead(307, { location: `${targetUrl}/v1/scheduler/jobs` }).end(),
    );
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    const originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
    try {
      const http = new HttpClient({
        baseUrls: carries ? [originUrl, targetUrl] : [originUrl],
        username: 'stars',
        password: 'pw',
        retries: 0,
      });
      expect((await http.request('GET', '/v1/scheduler/jobs')).status).toBe(200);
      expect(seen).toEqual([carries ? `Basic ${Buffer.from('stars:pw').toString('base64')}` : undefined]);
    } finally {
      await Promise.all([target, origin].map((s) => new Promise((r) => s.close(r))));
    }
  });

  test('credentials never appear in error URLs', () => {
    expect(redactUrl('http://user:pw@10.0.0.1:8080/v2/apps')).toBe('http://10.0.0.1:8080/v2/apps');
  });
});
