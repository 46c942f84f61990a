import { mockBcryptHash, mockPem, REDACTED, type ProgramRun } from '../../../../scripts/lib/program-runner';
import { byType, find, runStack } from '../../harness';

jest.setTimeout(120_000);

const CONTAINER = 'docker:index/container:Container';
const MARATHON_APP = 'pulumi-nodejs:dynamic/stars:MarathonApp';

interface Upload {
  file: string;
  content: string;
  owner?: string;
  group?: string;
  permissions?: string;
}

let staging: ProgramRun;
let dev: ProgramRun;
beforeAll(async () => {
  staging = await runStack('staging', { 'stars:edgeUsers': ['carol'] });
  dev = await runStack('dev');
});

const uploads = (run: ProgramRun, name: string): Upload[] =>
  find(run, CONTAINER, name).revealed.uploads as Upload[];

describe('the TLS edge (staging)', () => {
  test('one httpd container per master, on host networking, after Mesos-DNS and the host resolvers', () => {
    const edges = byType(staging, CONTAINER).filter((c) => c.name.startsWith('edge-'));
    expect(edges.map((c) => [c.name, c.inputs.name, c.inputs.networkMode, c.deleteBeforeReplace])).toEqual([
      ['edge-m1', 'stars-edge', 'host', true],
      ['edge-m2', 'stars-edge', 'host', true],
      ['edge-m3', 'stars-edge', 'host', true],
    ]);
    const deps = find(staging, CONTAINER, 'edge-m1').dependencies;
    for (const h of ['m1', 'm2', 'm3'])
      expect([h, deps.some((d) => d.endsWith(`::platform-mesos-dns-${h}`))]).toEqual([h, true]);
    for (const h of ['m1', 'a1'])
      expect([h, deps.some((d) => d.endsWith(`::platform-resolvers-${h}-resolver`))]).toEqual([h, true]);
  });

  test('the files it gets: the plan httpd.conf, the chain, and the secrets 0400 to the user that reads them', () => {
    expect(
      uploads(staging, 'edge-m1').map((u) => [u.file, u.owner ?? '-', u.group ?? '-', u.permissions ?? '-']),
    ).toEqual([
      ['/usr/local/apache2/conf/httpd.conf', '-', '-', '-'],
      ['/usr/local/apache2/conf/stars/server.crt', '-', '-', '-'],
      ['/usr/local/apache2/conf/stars/server.key', '0', '0', '0400'],
      ['/usr/local/apache2/conf/stars/users', '33', '33', '0400'],
      ['/usr/local/apache2/conf/stars/groups', '33', '33', '0400'],
      ['/usr/local/apache2/conf/stars/logins.conf', '0', '0', '0400'],
    ]);
    // The config is what the plan prints; every other file is secret in the state.
    expect(
      (find(staging, CONTAINER, 'edge-m1').inputs.uploads as Upload[]).map((u) => u.content === REDACTED),
    ).toEqual([false, false, true, true, false, true]);
    const [, chain, key, users, groups, logins] = uploads(staging, 'edge-m1');
    // carol is an edge user, not an operator (stars:edgeOperators is unset here).
    expect(groups.content).toBe('operators: admin stars\n');
    expect(chain.content).toBe(mockPem('CERTIFICATE', 'edge-m1-cert') + mockPem('CERTIFICATE', 'edge-ca'));
    expect(key.content).toBe(mockPem('PRIVATE KEY', 'edge-m1-key'));
    expect(users.content).toBe(
      ['admin', 'carol', 'stars'].map((u) => `${u}:${mockBcryptHash(`edge-user-${u}`)}`).join('\n') + '\n',
    );
    const basic = (pw: string) => Buffer.from(`stars:${pw}`).toString('base64');
    expect(logins.content).toBe(
      `Define CHRONOS_LOGIN "Basic ${basic('mock-password-platform-credentials-chronos-http')}"\n` +
        `Define MARATHON_LOGIN "Basic ${basic('mock-password-platform-credentials-marathon-http')}"\n` +
        `Define MESOS_LOGIN "Basic ${basic('mock-password-platform-credentials-mesos-http')}"\n`,
    );
  });

  test("each master's certificate names its addresses, signed by the stack CA for serving TLS only", () => {
    expect(find(staging, 'tls:index/certRequest:CertRequest', 'edge-m2-csr').inputs).toMatchObject({
      ipAddresses: ['10.20.1.12'],
      dnsNames: ['m2'],
    });
    expect(
      find(staging, 'tls:index/locallySignedCert:LocallySignedCert', 'edge-m2-cert').inputs,
    ).toMatchObject({
      allowedUses: ['digital_signature', 'key_encipherment', 'server_auth'],
      validityPeriodHours: 17520,
      earlyRenewalHours: 720,
    });
    expect(find(staging, 'tls:index/selfSignedCert:SelfSignedCert', 'edge-ca').inputs).toMatchObject({
      isCaCertificate: true,
      allowedUses: ['cert_signing', 'crl_signing'],
    });
  });

  test('outputs: the CA in plain text, people logins secret, Marathon/Chronos logins are the edge stars login', () => {
    expect(staging.outputs.edgeCaCertificate).toBe(mockPem('CERTIFICATE', 'edge-ca'));
    expect(staging.outputs.edgeCredentials).toBe(REDACTED);
    expect(staging.outputs.marathonCredentials).toBe(REDACTED);
  });

  test('the apps layer deploys through the edge: https URLs, the edge login and the CA', () => {
    const app = byType(staging, MARATHON_APP)[0];
    expect(app.inputs.marathonUrls).toEqual([
      'https://10.20.1.11:9441',
      'https://10.20.1.12:9441',
      'https://10.20.1.13:9441',
    ]);
    expect([app.inputs.username, app.revealed.password]).toEqual(['stars', 'mock-password-edge-user-stars']);
    expect(app.inputs.caCertificate).toBe(mockPem('CERTIFICATE', 'edge-ca'));
    expect(app.dependencies.some((d) => d.endsWith('::edge-ca'))).toBe(true);
  });

  test('the in-cluster backup job still calls Marathon with the backend login, not the edge one', () => {
    const writer = find(staging, CONTAINER, 'apps-secret-files-a1');
    const curlrc = (writer.revealed.uploads as Upload[]).find((u) =>
      u.file.endsWith('/backups/marathon.curlrc'),
    );
    expect(curlrc?.content).toBe(
      'url = "http://marathon.mesos:8080/v2/apps"\n' +
        'user = "stars:mock-password-platform-credentials-marathon-http"\n',
    );
  });
});

describe('dev (the laptop trial): no edge', () => {
  test('no edge resources, the platform URLs in the outputs, no CA', () => {
    expect(dev.resources.filter((r) => r.name.startsWith('edge-'))).toEqual([]);
    expect(dev.outputs.marathonUrl).toBe('http://127.0.0.1:8080');
    expect(dev.outputs.edgeCaCertificate).toBeUndefined();
  });
});
