import { zookeeperServers, mesosQuorum, type ZookeeperServer } from '../../../../components/plan/topology';
import { parseZooCfg, renderMyid, renderZooCfg } from '../../../../components/platform/render-zookeeper';
import { specWith } from './fixtures';

const HEADER = (host: string, id: number, address: string): string =>
  `# ZooKeeper member ${host} (server.${id}); rendered by Stars, do not edit.
tickTime=2000
initLimit=10
syncLimit=5
dataDir=/data
dataLogDir=/datalog
clientPort=2181
clientPortAddress=${address}
maxClientCnxns=60
# Keep the newest snapshots and purge older ones daily (the old system never purged).
autopurge.snapRetainCount=5
autopurge.purgeInterval=24
4lw.commands.whitelist=conf,isro,mntr,ruok,srvr
# The AdminServer listens on 8080, which Marathon owns under host networking.
admin.enableServer=false
`;

describe('renderZooCfg', () => {
  test.each([
    [1, 'server.1=10.0.0.1:2888:3888\n'],
    [3, 'server.1=10.0.0.1:2888:3888\nserver.2=10.0.0.2:2888:3888\nserver.3=10.0.0.3:2888:3888\n'],
    [
      5,
      'server.1=10.0.0.1:2888:3888\nserver.2=10.0.0.2:2888:3888\nserver.3=10.0.0.3:2888:3888\n' +
        'server.4=10.0.0.4:2888:3888\nserver.5=10.0.0.5:2888:3888\n',
    ],
  ])('renders the exact zoo.cfg for m1 of %i masters, servers sorted by id', (n, serverLines) => {
    const servers = zookeeperServers(specWith(n));
    expect(renderZooCfg({ servers, self: servers[0] })).toBe(HEADER('m1', 1, '10.0.0.1') + serverLines);
  });

  test('each member differs only in its header and clientPortAddress', () => {
    const servers = zookeeperServers(specWith(3));
    const [a, b] = [renderZooCfg({ servers, self: servers[0] }), renderZooCfg({ servers, self: servers[2] })];
    const differing = a.split('\n').filter((line, i) => line !== b.split('\n')[i]);
    expect(differing).toEqual([
      '# ZooKeeper member m1 (server.1); rendered by Stars, do not edit.',
      'clientPortAddress=10.0.0.1',
    ]);
  });

  test('server lines follow the ids, not the input order, and explicit ids survive', () => {
    const servers: ZookeeperServer[] = [
      { id: 7, host: 'x', address: '10.1.0.7' },
      { id: 2, host: 'y', address: '10.1.0.2' },
    ];
    const parsed = parseZooCfg(renderZooCfg({ servers, self: servers[0] }));
    expect(parsed.servers.map((s) => s.id)).toEqual([2, 7]);
  });

  test.each([1, 3, 5])('render -> parse gives back the same %i servers and settings', (n) => {
    const servers = zookeeperServers(specWith(n));
    const parsed = parseZooCfg(renderZooCfg({ servers, self: servers[n - 1] }));
    expect(parsed.servers).toEqual(
      servers.map((s) => ({ id: s.id, address: s.address, quorumPort: 2888, electionPort: 3888 })),
    );
    expect(parsed.settings).toEqual({
      tickTime: '2000',
      initLimit: '10',
      syncLimit: '5',
      dataDir: '/data',
      dataLogDir: '/datalog',
      clientPort: '2181',
      clientPortAddress: `10.0.0.${n}`,
      maxClientCnxns: '60',
      'autopurge.snapRetainCount': '5',
      'autopurge.purgeInterval': '24',
      '4lw.commands.whitelist': 'conf,isro,mntr,ruok,srvr',
      'admin.enableServer': 'false',
    });
  });

  test('rejects duplicate server ids, naming zookeeperId', () => {
    const servers = [
      { id: 1, host: 'a', address: '10.0.0.1' },
      { id: 1, host: 'b', address: '10.0.0.2' },
    ];
    expect(() => renderZooCfg({ servers, self: servers[0] })).toThrow(
      'two ZooKeeper servers share id 1; zookeeperId must be unique',
    );
  });

  test('rejects a member that is not in the ensemble', () => {
    const servers = [{ id: 1, host: 'a', address: '10.0.0.1' }];
    expect(() => renderZooCfg({ servers, self: { id: 2, host: 'b', address: '10.0.0.2' } })).toThrow(
      'zoo.cfg for b: server id 2 is not in the ensemble',
    );
  });
});

describe('renderMyid', () => {
  test.each([
    [1, '1\n'],
    [42, '42\n'],
    [255, '255\n'],
  ])('server id %i renders as %j', (id, text) => expect(renderMyid(id)).toBe(text));

  test.each([0, 256, 1.5])('rejects id %p outside 1-255', (id) => {
    expect(() => renderMyid(id)).toThrow(`ZooKeeper server id ${id} is outside 1-255`);
  });
});

describe('parseZooCfg', () => {
  test('rejects a key set twice and a malformed server line', () => {
    expect(() => parseZooCfg('tickTime=1\ntickTime=2\n')).toThrow('zoo.cfg line 2: tickTime is set twice');
    expect(() => parseZooCfg('server.1=host:2888\n')).toThrow(
      'server.1 must be address:quorumPort:electionPort',
    );
  });
});

describe('mesosQuorum (property over 1..7 masters)', () => {
  test.each([1, 2, 3, 4, 5, 6, 7])(
    '%i masters: floor(n/2)+1, a strict majority tolerating floor((n-1)/2) failures',
    (n) => {
      const q = mesosQuorum(n);
      expect(q).toBe(Math.floor(n / 2) + 1);
      expect(2 * q).toBeGreaterThan(n); // strict majority: two quorums always overlap
      expect(2 * (q - 1)).toBeLessThanOrEqual(n); // and the smallest such number
      expect(n - q).toBe(Math.floor((n - 1) / 2)); // members that may fail while a quorum remains
    },
  );

  test.each([0, -1, 2.5])('rejects %p masters', (n) => {
    expect(() => mesosQuorum(n)).toThrow(`cannot form a quorum of ${n} masters`);
  });
});
