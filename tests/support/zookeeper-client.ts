import { spawnSync } from 'child_process';
import * as net from 'net';
import * as os from 'os';

/** Talking to real ZooKeeper servers in tests: four-letter words over TCP, Debian's zkCli, bounded waits. */

export const ZK_CLI = '/usr/share/zookeeper/bin/zkCli.sh';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sends a four-letter word and returns the whole answer ('' when nothing answers within 3 s). */
export function fourLetterWord(address: string, word: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port: 2181 });
    let data = '';
    socket.setTimeout(3000);
    socket.on('connect', () => socket.write(word));
    socket.on('data', (d) => (data += d.toString('utf8')));
    socket.on('end', () => resolve(data));
    socket.on('timeout', () => socket.destroy());
    socket.on('error', () => resolve(''));
    socket.on('close', () => resolve(data));
  });
}

export function modeOf(srvr: string): string | undefined {
  return /^Mode: (\w+)/m.exec(srvr)?.[1];
}

export async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(500);
  }
}

export function zkCli(address: string, ...args: string[]): string {
  const r = spawnSync(ZK_CLI, ['-server', `${address}:2181`, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    // zkEnv.sh logs to /var/log/zookeeper by default, which tests may not write.
    env: { ...process.env, ZOO_LOG_DIR: os.tmpdir(), ZOO_LOG4J_PROP: 'WARN,CONSOLE' },
  });
  if (r.status !== 0)
    throw new Error(`zkCli ${args.join(' ')} failed (${r.status}): ${r.stderr}\n${r.stdout}`);
  return r.stdout;
}
