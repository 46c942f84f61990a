/**
 * Contract: the edge's httpd.conf uses only directives and ProxyPass keys upstream httpd defines, in the paths and
 * as the user of the official image we pin, and reaches the Mesos leader and the Chronos leader by the names
 * Mesos-DNS serves (tests/contract/upstream/httpd, …/mesosDns).
 */
import { EDGE_FILES, HTTPD_IMAGE_PATHS } from '../../components/edge/plan-edge';
import { planCluster } from '../../components/plan-cluster';
import { PORTS } from '../../components/plan/topology';
import { imageFor, VERSION_CATALOG } from '../../components/model/catalog';
import { stackSpec } from '../unit/components/hosts/stack-spec';
import { facts, factValues } from './support/upstream-facts';

const V = VERSION_CATALOG.httpd.default;
const httpd = facts('httpd', V).facts;
const DIRECTORY = {
  'stars:appSettings': {
    zeppelin: {
      auth: 'activeDirectory',
      ldapUrl: 'ldaps://ad.example.org:636',
      ldapSearchBase: 'OU=Staff,DC=example,DC=org',
      ldapBindUser: 'CN=stars,OU=Services,DC=example,DC=org',
    },
  },
};
const CONFIGS: [string, string][] = [
  ['staging', planCluster(stackSpec('staging')).edge.hosts[0].config],
  ['production', planCluster(stackSpec('production')).edge.hosts[0].config],
  ['staging with a directory', planCluster(stackSpec('staging', DIRECTORY)).edge.hosts[0].config],
];

const known = new Set(
  Object.entries(httpd)
    .filter(([k]) => k.startsWith('directives_'))
    .flatMap(([, f]) => f.values ?? []),
);

describe.each(CONFIGS)('the %s httpd.conf', (_name, config) => {
  const lines = config
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

  test('uses only directives upstream httpd defines', () => {
    const used = new Set(
      lines.map((l) =>
        l.startsWith('</') ? '' : l.startsWith('<') ? `${l.split(/[\s>]/)[0]}>` : l.split(' ')[0],
      ),
    );
    used.delete('');
    expect([...used].filter((d) => !known.has(d)).sort()).toEqual([]);
  });

  test('gives ProxyPass only keys upstream parses, WebSockets as upgrade=websocket', () => {
    const keys = lines
      .filter((l) => l.startsWith('ProxyPass '))
      .flatMap((l) => l.split(' ').slice(3))
      .map((kv) => kv.split('=')[0]);
    expect([...new Set(keys)].filter((k) => !factValues('httpd', V, 'proxyPassKeys').has(k))).toEqual([]);
    for (const l of lines.filter((x) => x.includes('upgrade=')))
      expect(l.endsWith(httpd.websocketUpgrade.value as string)).toBe(true);
  });

  test("runs from the image's server root and modules, children as its www-data", () => {
    expect(lines).toContain(`ServerRoot "${httpd.serverRoot.value as string}"`);
    expect(lines).toContain(`User ${httpd.childUser.value as string}`);
    expect(`${HTTPD_IMAGE_PATHS.uid}:${HTTPD_IMAGE_PATHS.gid}`).toBe(httpd.wwwDataIds.value);
    expect(lines.filter((l) => l.startsWith('LoadModule')).every((l) => l.includes('"modules/mod_'))).toBe(
      true,
    );
    for (const f of Object.values(EDGE_FILES))
      expect(f.startsWith(`${httpd.serverRoot.value as string}/`)).toBe(true);
  });
});

test('the directory login reads its bind password by exec: from a file, and ldaps trusts the image CA bundle', () => {
  const config = CONFIGS[2][1];
  expect(config).toContain(
    `AuthLDAPBindPassword "${httpd.bindPasswordExec.value as string}/bin/cat ${EDGE_FILES.ldapBindPassword}"`,
  );
  expect(config).toContain(`LDAPTrustedGlobalCert CA_BASE64 "${httpd.caBundle.value as string}"`);
  expect(config).toContain(
    'AuthLDAPURL "ldaps://ad.example.org:636/OU=Staff,DC=example,DC=org?sAMAccountName?sub?(objectClass=*)"',
  );
});

test('the edge image is the official httpd tag on record', () => {
  expect(imageFor('httpd', V)).toBe(`httpd:${V}`);
  expect(factValues('httpd', V, 'officialImagesTags').has(V)).toBe(true);
  expect(httpd.httpdVersion.value).toBe(V);
  expect(planCluster(stackSpec('staging')).edge.image).toBe(`httpd:${V}`);
});

test('the Mesos and Chronos routes use the leader names Mesos-DNS serves', () => {
  const dns = facts('mesosDns', VERSION_CATALOG.mesosDns.default).facts;
  const routes = planCluster(stackSpec('staging')).edge.routes;
  const name = (record: string, framework = '') =>
    record.replace('<domain>.', 'mesos').replace('<framework>', framework);
  expect(routes.find((r) => r.id === 'mesos')?.backend).toBe(
    `http://${name(dns.leaderRecord.value as string)}:${PORTS.mesosMaster}`,
  );
  expect(routes.find((r) => r.id === 'chronos')?.backend).toBe(
    `http://${name(dns.frameworkRecord.value as string, 'chronos')}:${PORTS.chronos}`,
  );
});
