import { mesosDnsServers, renderMesosDnsConfig } from '../../../../components/platform/render-mesos-dns';
import { specWith } from './fixtures';

const expected = (zk: string, masters: string, self: string): string => `{
  "EnforceRFC952": false,
  "EnumerationOn": true,
  "IPSources": [
    "host"
  ],
  "MesosAuthentication": "basic",
  "MesosCredentials": {
    "Principal": "mesos-dns",
    "Secret": "{{secret:mesos-dns}}"
  },
  "SOAExpire": 86400,
  "SOAMinttl": 60,
  "SOAMname": "ns1.mesos",
  "SOARefresh": 60,
  "SOARetry": 600,
  "SOARname": "root.ns1.mesos",
  "dnson": true,
  "domain": "mesos",
  "externalon": true,
  "httpListener": "${self}",
  "httpon": true,
  "httpport": 8123,
  "listener": "${self}",
  "masters": [
${masters}
  ],
  "port": 53,
  "recurseon": true,
  "refreshSeconds": 30,
  "resolvers": [
    "10.9.0.2",
    "10.9.0.3"
  ],
  "stateTimeoutSeconds": 300,
  "timeout": 5,
  "ttl": 60,
  "zk": "${zk}",
  "zkDetectionTimeout": 30
}
`;

describe('renderMesosDnsConfig', () => {
  test.each([
    [1, 'zk://10.0.0.1:2181/mesos', '    "10.0.0.1:5050"'],
    [
      3,
      'zk://10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181/mesos',
      '    "10.0.0.1:5050",\n    "10.0.0.2:5050",\n    "10.0.0.3:5050"',
    ],
    [
      5,
      'zk://10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181,10.0.0.4:2181,10.0.0.5:2181/mesos',
      '    "10.0.0.1:5050",\n    "10.0.0.2:5050",\n    "10.0.0.3:5050",\n    "10.0.0.4:5050",\n    "10.0.0.5:5050"',
    ],
  ])(
    '%i masters: exact config.json, listening on the master address with the spec resolvers',
    (n, zk, masters) => {
      const spec = specWith(n);
      const self = spec.hosts.find((h) => h.name === 'm1');
      if (self === undefined) throw new Error('fixture has no m1');
      expect(renderMesosDnsConfig(spec, self)).toBe(expected(zk, masters, '10.0.0.1'));
    },
  );

  test('the domain and resolvers come from the spec', () => {
    const spec = specWith(1, { domain: 'stars.internal', dnsResolvers: ['192.0.2.53'] });
    const config = JSON.parse(renderMesosDnsConfig(spec, spec.hosts[2])) as Record<string, unknown>;
    expect([config.domain, config.resolvers, config.SOAMname]).toEqual([
      'stars.internal',
      ['192.0.2.53'],
      'ns1.stars.internal',
    ]);
  });

  test('Mesos-DNS servers are the master addresses, sorted by host name', () => {
    expect(mesosDnsServers(specWith(3))).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  });
});
