/**
 * images/spark/spark-env.sh, sourced by a real shell in a throwaway network namespace (unshare -n): a Spark
 * driver's libprocess advertises the address its host reaches the masters from, never the host name's
 * 127.0.1.1; a LIBPROCESS_IP already set wins; no route leaves it unset and says so.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { reportSkip } from '../../support/skips';

const SPARK_ENV = path.resolve(__dirname, '../../../images/spark/spark-env.sh');
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const capable = process.getuid?.() === 0 && has('unshare') && has('ip') && has('python3');
if (!capable) reportSkip('spark-env.sh tests: they need root, unshare, ip and python3');
const when = capable ? describe : describe.skip;

/** Sources spark-env.sh in a new network namespace with lo and 198.51.100.7/24 on a dummy link. */
function sourceIn(env: Record<string, string>): { ip: string; stderr: string } {
  const script = [
    'set -e',
    'ip link set lo up',
    'ip link add d0 type veth peer name d1',
    'ip addr add 198.51.100.7/24 dev d0',
    'ip link set d0 up',
    'ip link set d1 up',
    `. ${SPARK_ENV}`,
    'printf "%s" "${LIBPROCESS_IP:-unset}"',
  ].join('\n');
  const r = spawnSync('unshare', ['-n', 'sh', '-c', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    timeout: 20_000,
  });
  if (r.status !== 0) throw new Error(`spark-env.sh failed: ${r.stderr}`);
  return { ip: r.stdout, stderr: r.stderr };
}

when('spark-env.sh', () => {
  test('passes shellcheck as POSIX sh (Spark sources it from bash, the drivers from sh)', () => {
    const r = spawnSync('shellcheck', ['-s', 'sh', SPARK_ENV], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test.each([
    ['a master on the cluster network: the agent address on that network', '198.51.100.1', '198.51.100.7'],
    ['an unreachable master first, then a reachable one', '203.0.113.9 198.51.100.2', '198.51.100.7'],
    ['a name that is no address is skipped', 'not-an-address 198.51.100.3', '198.51.100.7'],
    ['a master on this host: loopback', '127.0.0.1', '127.0.0.1'],
  ])('%s', (_claim, masters, expected) => {
    expect(sourceIn({ STARS_MESOS_MASTERS: masters })).toEqual({ ip: expected, stderr: '' });
  });

  test('a LIBPROCESS_IP set by the task (Livy, Zeppelin: $HOST) is kept', () => {
    expect(sourceIn({ STARS_MESOS_MASTERS: '198.51.100.1', LIBPROCESS_IP: '192.0.2.5' }).ip).toBe(
      '192.0.2.5',
    );
  });

  test('no route to any master leaves it unset and says why', () => {
    expect(sourceIn({ STARS_MESOS_MASTERS: '203.0.113.9' })).toEqual({
      ip: 'unset',
      stderr:
        'stars spark-env.sh: no route to any of the Mesos masters (203.0.113.9); LIBPROCESS_IP left unset\n',
    });
  });

  test('outside Stars (no STARS_MESOS_MASTERS) it does nothing', () => {
    expect(sourceIn({})).toEqual({ ip: 'unset', stderr: '' });
  });
});
