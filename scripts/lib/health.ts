import { connect } from 'net';
import { exchange } from '../../components/apps/api/transport';
import type { HealthProbe } from './restart-order';

/**
 * Health probes `restart` waits on between hosts. ZooKeeper is asked `srvr` (the only four-letter word
 * whitelisted by default since 3.5.3) and is healthy once it reports a Mode (leader/follower/standalone),
 * i.e. it has joined the quorum, not merely opened its port. HTTP probes want a 2xx.
 */
export interface ProbeResult {
  readonly ok: boolean;
  readonly detail: string;
}

export interface ProbeAuth {
  readonly username: string;
  readonly password: string;
}

export function probeZookeeper(host: string, port: number, timeoutMs = 5_000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let data = '';
    let settled = false;
    const done = (r: ProbeResult): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(r);
    };
    const socket = connect({ host, port });
    socket.setTimeout(timeoutMs, () =>
      done({ ok: false, detail: `no answer to srvr within ${timeoutMs}ms` }),
    );
    socket.on('connect', () => socket.write('srvr'));
    socket.on('data', (d: Buffer) => (data += d.toString()));
    socket.on('error', (err) => done({ ok: false, detail: err.message }));
    socket.on('close', () => {
      const mode = /^Mode: (\S+)/m.exec(data);
      done(
        mode !== null
          ? { ok: true, detail: `mode ${mode[1]}` }
          : { ok: false, detail: data.trim() === '' ? 'empty srvr answer' : data.trim().split('\n')[0] },
      );
    });
  });
}

export async function probeHttp(
  url: string,
  auth?: ProbeAuth,
  timeoutMs = 5_000,
  ca?: string,
): Promise<ProbeResult> {
  const headers: Record<string, string> = {};
  if (auth !== undefined)
    headers.Authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  try {
    const res = await exchange({
      method: 'GET',
      url,
      headers,
      timeoutMs,
      ...(ca === undefined ? {} : { ca }),
    });
    return res.status >= 200 && res.status < 300
      ? { ok: true, detail: `HTTP ${res.status}` }
      : { ok: false, detail: `HTTP ${res.status}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return { ok: false, detail: e.name === 'TimeoutError' ? 'timed out' : (e.cause?.code ?? e.message) };
  }
}

/** `ca` set: the probe goes through the host's TLS edge (https on the check's port), trusting that CA. */
export function probe(
  address: string,
  check: HealthProbe,
  auth?: ProbeAuth,
  ca?: string,
): Promise<ProbeResult> {
  if (check.kind === 'zookeeper') return probeZookeeper(address, check.port);
  const scheme = ca === undefined ? 'http' : 'https';
  return probeHttp(`${scheme}://${address}:${check.port}${check.path}`, auth, 5_000, ca);
}

export interface WaitHealthyOptions {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly onWait?: (last: ProbeResult, elapsedMs: number) => void;
}

/** Polls until the probe passes; the last failure is returned when time runs out. */
export async function waitHealthy(
  run: () => Promise<ProbeResult>,
  options: WaitHealthyOptions,
): Promise<ProbeResult> {
  const start = Date.now();
  for (;;) {
    const r = await run();
    if (r.ok) return r;
    const elapsed = Date.now() - start;
    if (elapsed >= options.timeoutMs) return r;
    options.onWait?.(r, elapsed);
    await new Promise((res) => setTimeout(res, options.intervalMs));
  }
}
