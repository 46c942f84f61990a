import { planPlatform } from '../../../components/platform/plan-platform';
import { parseZooCfg } from '../../../components/platform/render-zookeeper';
import { containerNameOf } from '../../../scripts/lib/restart-order';
import { fourLetterWord, modeOf, until } from '../../support/zookeeper-client';
import { onHost, ssh, type TestLab } from './lab';

/**
 * ZooKeeper on lab masters from the program's rendered zoo.cfg and myid, in a container named as the platform
 * names it (so `stars restart` finds it). No ZooKeeper image can be pulled here, so the container runs the
 * lab host's own Debian zookeeper package: its image holds only the root directories, and /usr and the JVM's
 * configuration are bind-mounted read-only from the host.
 */

export const ZK_CONTAINER = containerNameOf('zookeeper');
const RUNTIME_IMAGE = 'stars-lab-runtime:1';
const CONF_DIR = '/var/lib/stars/lab-zookeeper';

export async function buildRuntimeImage(lab: TestLab, host: string): Promise<void> {
  await onHost(
    lab,
    host,
    `docker image inspect ${RUNTIME_IMAGE} >/dev/null 2>&1 && exit 0
rt="$(mktemp -d)"
mkdir -p "$rt"/{etc,proc,sys,dev,tmp,run,usr,data,datalog,conf}
for l in bin lib lib64 sbin; do ln -s "usr/$l" "$rt/$l"; done
tar -C "$rt" -c . | docker import -c 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' - ${RUNTIME_IMAGE} >/dev/null
rm -rf "$rt"`,
  );
}

export interface ZkMember {
  readonly host: string;
  readonly address: string;
}

/** Puts each master's rendered zoo.cfg and myid in place over SSH (sudo, as the program's user) and starts it. */
export async function startEnsemble(lab: TestLab): Promise<ZkMember[]> {
  const plan = planPlatform(lab.spec);
  const doc = (p: string): string => {
    const d = plan.documents.find((x) => x.path === p);
    if (d === undefined) throw new Error(`the plan has no document ${p}`);
    return d.content;
  };
  const members: ZkMember[] = [];
  for (const h of lab.plan.hosts.filter((x) => x.role === 'master')) {
    const cfg = doc(`hosts/${h.name}/zookeeper/zoo.cfg`);
    const settings = parseZooCfg(cfg).settings;
    await buildRuntimeImage(lab, h.name);
    const put = async (file: string, content: string): Promise<void> => {
      const r = await ssh(lab, h.address, `sudo install -D -m 0644 /dev/stdin ${file}`, content);
      if (r.code !== 0) throw new Error(`writing ${file} on ${h.name}: ${r.stderr}`);
    };
    await put(`${CONF_DIR}/zoo.cfg`, cfg);
    await put('/var/lib/zookeeper/myid', doc(`hosts/${h.name}/zookeeper/myid`));
    const run = [
      'docker run -d --name',
      ZK_CONTAINER,
      '--network host --restart unless-stopped',
      '-v /usr:/usr:ro -v /etc/alternatives:/etc/alternatives:ro -v /etc/java-17-openjdk:/etc/java-17-openjdk:ro',
      `-v /var/lib/zookeeper:${settings.dataDir} -v /var/log/zookeeper:${settings.dataLogDir} -v ${CONF_DIR}:/conf:ro`,
      RUNTIME_IMAGE,
      'java -Xmx128m -cp /usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar',
      'org.apache.zookeeper.server.quorum.QuorumPeerMain /conf/zoo.cfg',
    ].join(' ');
    const r = await ssh(lab, h.address, `docker rm -f ${ZK_CONTAINER} >/dev/null 2>&1; ${run}`);
    if (r.code !== 0) throw new Error(`starting ZooKeeper on ${h.name}: ${r.stderr}`);
    members.push({ host: h.name, address: settings.clientPortAddress });
  }
  return members;
}

/** The members' modes once exactly one leads and the rest follow. */
export function quorumOf(members: readonly ZkMember[], timeoutMs = 90_000): Promise<Record<string, string>> {
  return until(`a leader and ${members.length - 1} followers`, timeoutMs, async () => {
    const modes = await Promise.all(
      members.map(async (m) => modeOf(await fourLetterWord(m.address, 'srvr'))),
    );
    const leaders = modes.filter((m) => m === 'leader').length;
    const followers = modes.filter((m) => m === 'follower').length;
    if (leaders !== 1 || followers !== members.length - 1) return undefined;
    return Object.fromEntries(members.map((m, i) => [m.host, modes[i] ?? '']));
  });
}
