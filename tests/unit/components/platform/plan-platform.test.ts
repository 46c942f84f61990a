import { spawnSync } from 'child_process';
import { imageRef } from '../../../../components/platform/plan-images';
import { planPlatform, type ContainerPlan } from '../../../../components/platform/plan-platform';
import { parseClusterSpec } from '../../../../components/model/parse-cluster-spec';
import { specWith } from './fixtures';

const servicesByHost = (containers: readonly ContainerPlan[]): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const c of containers) (out[c.host] ??= []).push(c.service);
  return out;
};

describe('planPlatform', () => {
  const plan = planPlatform(specWith(3));

  test('masters run the control plane in start order and agents run only the agent', () => {
    const control = ['zookeeper', 'mesos-master', 'marathon', 'chronos', 'mesos-dns'];
    expect(servicesByHost(plan.containers)).toEqual({
      a1: ['mesos-agent'],
      a2: ['mesos-agent'],
      m1: control,
      m2: control,
      m3: control,
    });
  });

  test('images: upstream ones at the catalog pins, Mesos and Mesos-DNS from the project images', () => {
    const mesos = imageRef(plan.images, 'mesos');
    expect(mesos).toMatch(/^stars\/mesos:1\.10\.0-[0-9a-f]{12}$/);
    const mesosDns = imageRef(plan.images, 'mesos-dns');
    expect(mesosDns).toMatch(/^stars\/mesos-dns:0\.7\.0-rc2-[0-9a-f]{12}$/);
    const images = Object.fromEntries(
      plan.containers.filter((c) => c.host !== 'a2').map((c) => [`${c.host}/${c.service}`, c.image]),
    );
    expect(images).toMatchObject({
      'm1/zookeeper': 'zookeeper:3.9.5',
      'm1/mesos-master': mesos,
      'm1/marathon': 'mesosphere/marathon:v1.10.26',
      'm1/chronos': 'mesosphere/chronos:v3.0.2',
      'm1/mesos-dns': mesosDns,
      'a1/mesos-agent': mesos,
    });
    const older = planPlatform(specWith(3, { zookeeperVersion: '3.8.6' }));
    expect(older.containers.find((c) => c.service === 'zookeeper')?.image).toBe('zookeeper:3.8.6');
  });

  test('masters and agents name their binary; Docker executors run from the same, entrypoint-less image', () => {
    // Mesos runs `<executor image> <launcher_dir>/mesos-docker-executor …` without overriding the entrypoint.
    const mesos = imageRef(plan.images, 'mesos');
    for (const c of plan.containers.filter((x) => x.component === 'mesos')) {
      expect([c.image, c.projectImage]).toEqual([mesos, 'mesos']);
      expect(c.entrypoint).toEqual([c.service === 'mesos-agent' ? 'mesos-agent' : 'mesos-master']);
    }
    for (const c of plan.containers.filter((x) => x.service === 'mesos-agent')) {
      expect(c.args.filter((a) => a.startsWith('--docker_mesos_image='))).toEqual([
        `--docker_mesos_image=${mesos}`,
      ]);
      // The image carries its own static Docker CLI; the host's dynamically linked one is not mounted.
      expect(c.volumes.map((v) => v.hostPath)).not.toContain('/usr/bin/docker');
    }
  });

  test('every container uses host networking, a restart policy and fixed container names', () => {
    for (const c of plan.containers) {
      expect([c.networkMode, c.restart, c.containerName]).toEqual([
        'host',
        'unless-stopped',
        `stars-${c.service}`,
      ]);
    }
  });

  test('documents: zoo.cfg, myid, Mesos-DNS config and one container definition per service per host', () => {
    const m1 = plan.documents.filter((d) => d.path.startsWith('hosts/m1/')).map((d) => d.path);
    expect(m1).toEqual([
      'hosts/m1/chronos/mesos-secret',
      'hosts/m1/containers/chronos.json',
      'hosts/m1/containers/marathon.json',
      'hosts/m1/containers/mesos-dns.json',
      'hosts/m1/containers/mesos-master.json',
      'hosts/m1/containers/zookeeper.json',
      'hosts/m1/marathon/logback.xml',
      'hosts/m1/marathon/mesos-secret',
      'hosts/m1/mesos-dns/config.json',
      'hosts/m1/mesos-master/acls.json',
      'hosts/m1/mesos-master/credentials.json',
      'hosts/m1/mesos-master/zk',
      'hosts/m1/resolver/configure.sh',
      'hosts/m1/zookeeper/myid',
      'hosts/m1/zookeeper/zoo.cfg',
    ]);
    expect(plan.documents.find((d) => d.path === 'hosts/m3/zookeeper/myid')?.content).toBe('3\n');
  });

  test('the plan is deterministic and JSON documents end with a newline', () => {
    expect(planPlatform(specWith(3))).toEqual(plan);
    for (const d of plan.documents.filter((x) => x.path.endsWith('.json')))
      expect(d.content.endsWith('}\n')).toBe(true);
  });

  test('secrets appear only as placeholders, and the containers carrying them are flagged', () => {
    const flagged = plan.containers.filter((c) => c.hasSecrets).map((c) => `${c.host}/${c.service}`);
    expect(flagged).toEqual([
      'a1/mesos-agent',
      'a2/mesos-agent',
      // Mesos-DNS logs in to read the master's state (MesosCredentials in its config).
      ...['m1', 'm2', 'm3'].flatMap((h) => [
        `${h}/mesos-master`,
        `${h}/marathon`,
        `${h}/chronos`,
        `${h}/mesos-dns`,
      ]),
    ]);
    const marathon = plan.containers.find((c) => c.service === 'marathon');
    expect(marathon?.env.MESOSPHERE_HTTP_CREDENTIALS).toBe('stars:{{secret:marathon-http}}');
    expect(marathon?.args.join(' ')).not.toContain('secret:');
  });

  test('secret files are mode 0400 and owned by the user the service runs as; other files keep the defaults', () => {
    const files = plan.containers
      .filter((c) => c.host === 'm1' || c.host === 'a1')
      .flatMap((c) => c.files.map((f) => [`${c.host}/${c.service}:${f.path}`, f.owner, f.mode]));
    expect(files).toEqual([
      ['a1/mesos-agent:/etc/mesos/credential.json', '0:0', '0400'],
      ['a1/mesos-agent:/etc/mesos/http-credentials.json', '0:0', '0400'],
      ['m1/zookeeper:/conf/zoo.cfg', undefined, undefined],
      ['m1/zookeeper:/data/myid', undefined, undefined],
      ['m1/mesos-master:/etc/mesos/acls.json', undefined, undefined],
      ['m1/mesos-master:/etc/mesos/credentials.json', '0:0', '0400'],
      ['m1/mesos-master:/etc/mesos/zk', '0:0', '0400'],
      // Marathon's image runs as nobody.
      ['m1/marathon:/etc/marathon/mesos-secret', '65534:65534', '0400'],
      // Not secret: root's 0644, which Marathon (nobody) reads.
      ['m1/marathon:/etc/marathon/logback.xml', undefined, undefined],
      ['m1/chronos:/etc/chronos/mesos-secret', '0:0', '0400'],
      ['m1/mesos-dns:/config.json', '0:0', '0400'],
    ]);
  });

  test('with authentication off no container carries a secret or a credential flag', () => {
    const open = planPlatform(specWith(3, { authEnabled: false }));
    expect(open.containers.filter((c) => c.hasSecrets)).toEqual([]);
    expect(open.documents.filter((d) => d.content.includes('{{secret:'))).toEqual([]);
    expect(open.containers.flatMap((c) => c.args).filter((a) => /authenticat|credential/.test(a))).toEqual(
      [],
    );
  });

  test.each([
    [1, '--quorum=1'],
    [3, '--quorum=2'],
    [5, '--quorum=3'],
  ])('%i masters: every master gets %s', (n, flag) => {
    const masters = planPlatform(specWith(n)).containers.filter((c) => c.service === 'mesos-master');
    expect(masters).toHaveLength(n);
    for (const m of masters) expect(m.args).toContain(flag);
  });

  test('onprem hosts get a resolver script that passes sh -n and no container dns override', () => {
    expect(plan.resolvers.map((r) => r.host)).toEqual(['a1', 'a2', 'm1', 'm2', 'm3']);
    for (const r of plan.resolvers) {
      expect(spawnSync('sh', ['-n'], { input: r.script }).status).toBe(0);
      expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(plan.containers.filter((c) => c.dns !== undefined)).toEqual([]);
  });

  test('the local host is not reconfigured: its containers get Mesos-DNS through dns settings instead', () => {
    const local = planPlatform(
      parseClusterSpec(
        { environment: 'dev', mode: 'local', authEnabled: false },
        { stack: 'dev', secretKeys: [] },
      ),
    );
    expect(local.resolvers).toEqual([]);
    expect(servicesByHost(local.containers)).toEqual({
      local: ['zookeeper', 'mesos-master', 'marathon', 'chronos', 'mesos-dns', 'mesos-agent'],
    });
    for (const c of local.containers) {
      expect(c.dns).toEqual(['127.0.0.1', '8.8.8.8']);
      expect(c.dnsSearch).toEqual(['mesos']);
    }
  });

  test('a spec without agents is rejected with the field to fix', () => {
    const spec = specWith(1);
    expect(() =>
      planPlatform({ ...spec, hosts: spec.hosts.filter((h) => h.roles.includes('master')) }),
    ).toThrow('hosts: the platform needs at least one host with the agent role');
  });
});

describe('renderContainerDefinition', () => {
  test('the ZooKeeper definition of m2 (3 masters) is the exact reviewable JSON', () => {
    const doc = planPlatform(specWith(3)).documents.find(
      (d) => d.path === 'hosts/m2/containers/zookeeper.json',
    );
    expect(doc?.content).toBe(`{
  "args": [],
  "env": {
    "ZOO_MY_ID": "2"
  },
  "files": [
    {
      "document": "hosts/m2/zookeeper/zoo.cfg",
      "path": "/conf/zoo.cfg",
      "secret": false
    },
    {
      "document": "hosts/m2/zookeeper/myid",
      "path": "/data/myid",
      "secret": false
    }
  ],
  "host": "m2",
  "image": "zookeeper:3.9.5",
  "name": "stars-zookeeper",
  "networkMode": "host",
  "privileged": false,
  "restart": "unless-stopped",
  "volumes": [
    {
      "containerPath": "/data",
      "hostPath": "/var/lib/zookeeper/data",
      "readOnly": false
    },
    {
      "containerPath": "/datalog",
      "hostPath": "/var/lib/zookeeper/datalog",
      "readOnly": false
    }
  ]
}
`);
  });
});
