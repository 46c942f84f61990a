/**
 * A double of the Mesos master's maintenance endpoints and agent list, on 127.0.0.1 only (ephemeral port),
 * because no Mesos can run in this environment. It enforces apache/mesos 1.10.0's behaviour as recorded in
 * tests/contract/upstream/gates/mesos-maintenance.json (src/master/http.cpp, src/master/maintenance.cpp):
 * - GET/POST /master/maintenance/schedule: a POST replaces the one schedule; new machines become DRAINING,
 *   kept ones keep their mode, left-out ones go back UP; a DOWN machine cannot be left out; errors are 400 with
 *   upstream's text. GET prints compact JSON with sorted keys, `{}` when empty.
 * - POST /master/machine/down: the machine must be scheduled and DRAINING; its agent is shut down.
 * - POST /master/machine/up: the machine must be DOWN; it leaves the schedule and may register again.
 * - GET /master/maintenance/status, GET /master/slaves (registered agents, hostname field).
 * Machine ids match on hostname (case-insensitively) and ip (exactly), both present on both sides.
 * A follower is the base class's redirect (307); a master without a leader is failNext(n, 503).
 */
import { HttpDouble, type Reply } from './http-double';

export interface MachineId {
  readonly hostname?: string;
  readonly ip?: string;
}

interface Window {
  readonly machine_ids: MachineId[];
  readonly unavailability: {
    readonly duration?: { nanoseconds: number };
    readonly start: { nanoseconds: number };
  };
}

type Mode = 'DRAINING' | 'DOWN';

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** Protobuf JSON as the master prints it: present fields only, keys sorted. */
const machineJson = (m: MachineId): string =>
  JSON.stringify({
    ...(m.hostname === undefined ? {} : { hostname: m.hostname }),
    ...(m.ip === undefined ? {} : { ip: m.ip }),
  });
const keyOf = (m: MachineId): string => `${m.hostname?.toLowerCase() ?? '-'}|${m.ip ?? '-'}`;
const bad = (text: string): Reply => ({ status: 400, text });

export class MesosMaintenanceDouble extends HttpDouble {
  private windows: Window[] = [];
  readonly modes = new Map<string, Mode>();
  /** Registered agents by machine key. */
  readonly agents = new Map<string, MachineId>();
  /** The most machines DOWN at any one time. */
  maxDown = 0;

  /** An agent starting on a machine: refused (false) while the machine is DOWN, as the master refuses it. */
  registerAgent(m: MachineId): boolean {
    if (this.modes.get(keyOf(m)) === 'DOWN') return false;
    this.agents.set(keyOf(m), m);
    return true;
  }

  scheduled(): MachineId[] {
    return this.windows.flatMap((w) => w.machine_ids);
  }

  protected handle(method: string, url: URL, body: unknown): Reply {
    const route = url.pathname.replace(/^\/master/, '');
    const allow = (methods: string[]): Reply | undefined =>
      methods.includes(method)
        ? undefined
        : { status: 405, text: `405 Method Not Allowed. Expecting one of { '${methods.join("', '")}' }.` };
    switch (route) {
      case '/maintenance/schedule':
        return allow(['GET', 'POST']) ?? (method === 'GET' ? this.getSchedule() : this.postSchedule(body));
      case '/machine/down':
        return allow(['POST']) ?? this.down(body);
      case '/machine/up':
        return allow(['POST']) ?? this.up(body);
      case '/maintenance/status':
        return allow(['GET']) ?? this.status();
      case '/slaves':
        return allow(['GET']) ?? this.slaves();
      default:
        return { status: 404, text: '' };
    }
  }

  private getSchedule(): Reply {
    return {
      status: 200,
      text: this.windows.length === 0 ? '{}' : JSON.stringify({ windows: this.windows.map(sortWindow) }),
    };
  }

  private postSchedule(body: unknown): Reply {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return bad('Failed to convert JSON into Schedule protobuf: expecting a JSON object');
    const windows = ((body as { windows?: unknown }).windows ?? []) as Window[];
    const seen = new Set<string>();
    for (const w of windows) {
      if (w.unavailability?.start?.nanoseconds === undefined)
        return bad('Missing required fields: windows[0].unavailability.start.nanoseconds');
      const ids = w.machine_ids ?? [];
      if (ids.length === 0) return bad('List of machines in the maintenance window is empty');
      if ((w.unavailability.duration?.nanoseconds ?? 0) < 0)
        return bad("Unavailability 'duration' is negative");
      for (const m of ids) {
        const error = checkMachine(m);
        if (error !== undefined) return bad(error);
        if (seen.has(keyOf(m)))
          return bad(`Machine '${machineJson(m)}' appears more than once in the schedule`);
        seen.add(keyOf(m));
      }
    }
    for (const [key, mode] of this.modes)
      if (mode === 'DOWN' && !seen.has(key)) {
        const m = this.scheduled().find((x) => keyOf(x) === key) ?? {};
        return bad(`Machine '${machineJson(m)}' is deactivated and cannot be removed from the schedule`);
      }
    for (const key of [...this.modes.keys()]) if (!seen.has(key)) this.modes.delete(key);
    for (const key of seen) if (!this.modes.has(key)) this.modes.set(key, 'DRAINING');
    this.windows = windows.map((w) => ({
      machine_ids: [...w.machine_ids],
      unavailability: w.unavailability,
    }));
    return { status: 200 };
  }

  private machines(body: unknown): MachineId[] | Reply {
    if (!Array.isArray(body)) return bad('Failed to parse JSON array of machine ids');
    if (body.length === 0) return bad('List of machines is empty');
    const seen = new Set<string>();
    for (const m of body as MachineId[]) {
      const error = checkMachine(m);
      if (error !== undefined) return bad(error);
      if (seen.has(keyOf(m)))
        return bad(`Machine '${machineJson(m)}' appears more than once in the schedule`);
      seen.add(keyOf(m));
    }
    return body as MachineId[];
  }

  private down(body: unknown): Reply {
    const ms = this.machines(body);
    if (!Array.isArray(ms)) return ms;
    for (const m of ms) {
      if (!this.modes.has(keyOf(m)))
        return bad(`Machine '${machineJson(m)}' is not part of a maintenance schedule`);
      if (this.modes.get(keyOf(m)) !== 'DRAINING')
        return bad(`Machine '${machineJson(m)}' is not in DRAINING mode and cannot be brought down`);
    }
    for (const m of ms) {
      this.modes.set(keyOf(m), 'DOWN');
      this.agents.delete(keyOf(m));
    }
    this.maxDown = Math.max(this.maxDown, [...this.modes.values()].filter((x) => x === 'DOWN').length);
    return { status: 200 };
  }

  private up(body: unknown): Reply {
    const ms = this.machines(body);
    if (!Array.isArray(ms)) return ms;
    for (const m of ms) {
      if (!this.modes.has(keyOf(m)) && !this.agents.has(keyOf(m)))
        return bad(`Machine '${machineJson(m)}' is not part of a maintenance schedule`);
      if (this.modes.get(keyOf(m)) !== 'DOWN')
        return bad(`Machine '${machineJson(m)}' is not in DOWN mode and cannot be brought up`);
    }
    const keys = new Set(ms.map(keyOf));
    for (const k of keys) this.modes.delete(k);
    this.windows = this.windows
      .map((w) => ({ ...w, machine_ids: w.machine_ids.filter((m) => !keys.has(keyOf(m))) }))
      .filter((w) => w.machine_ids.length > 0);
    return { status: 200 };
  }

  private status(): Reply {
    const of = (mode: Mode) => this.scheduled().filter((m) => this.modes.get(keyOf(m)) === mode);
    const down = of('DOWN').map((m) => JSON.parse(machineJson(m)) as MachineId);
    // Inverse-offer statuses are empty here, and protobuf JSON leaves an empty list out.
    const draining = of('DRAINING').map((m) => ({ id: JSON.parse(machineJson(m)) as MachineId }));
    return {
      status: 200,
      text: JSON.stringify({
        ...(down.length === 0 ? {} : { down_machines: down }),
        ...(draining.length === 0 ? {} : { draining_machines: draining }),
      }),
    };
  }

  /** The writer's field order (id, hostname, port, …, active), compact. */
  private slaves(): Reply {
    const slaves = [...this.agents.values()].map((m, i) => ({
      id: `agent-${i}-S0`,
      hostname: m.hostname,
      port: 5051,
      active: true,
    }));
    return { status: 200, text: JSON.stringify({ slaves, recovered_slaves: [] }) };
  }
}

function checkMachine(m: MachineId): string | undefined {
  if ((m.hostname ?? '') === '' && (m.ip ?? '') === '')
    return "Both 'hostname' and 'ip' for a machine are empty";
  if (m.ip !== undefined && m.ip !== '' && !IPV4.test(m.ip)) return `Failed to parse IPv4: ${m.ip}`;
  return undefined;
}

function sortWindow(w: Window): unknown {
  const u = w.unavailability;
  return {
    machine_ids: w.machine_ids.map((m) => JSON.parse(machineJson(m)) as MachineId),
    unavailability: { ...(u.duration === undefined ? {} : { duration: u.duration }), start: u.start },
  };
}
