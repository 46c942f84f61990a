import { BlockList, isIPv4 } from 'net';
import { isPackageSourceUrl } from '../../../components/model/parse-package-sources';

/**
 * What a lab is, worked out from its options alone: the network, each host's container, name and fixed address.
 * Pure, so `lab up`, `status` and `down` agree on names, and tests can pin them.
 */

export type LabRole = 'master' | 'agent';

export interface LabOptions {
  /** Prefix of every container, the network and the label; one lab per name on an engine. */
  readonly name: string;
  readonly masters: number;
  readonly agents: number;
  /** A private /24 of its own, e.g. 172.31.250.0/24: the gateway is .1, masters .11-, agents .21-. */
  readonly subnet: string;
  /** `--proxy`: written into the stack's packageSources, so held to the same URL rule. */
  readonly proxy?: string;
  /** `--debian-mirror`: handed to debootstrap and written into the image's sources.list. */
  readonly debianMirror?: string;
}

export interface LabHost {
  /** The host's name in the stack (m1, a1, …), also its hostname inside the container. */
  readonly name: string;
  readonly role: LabRole;
  readonly container: string;
  readonly address: string;
}

export interface LabPlan {
  readonly name: string;
  readonly network: string;
  readonly subnet: string;
  /** The engine's address on the lab network: where the operator (this machine) is seen from the hosts. */
  readonly gateway: string;
  readonly hosts: readonly LabHost[];
}

/** Marks everything a lab creates, with the lab's name as value: `down` removes only what carries it. */
export const LAB_LABEL = 'dev.stars.lab';
export const DEFAULT_LAB: LabOptions = {
  name: 'stars-lab',
  masters: 3,
  agents: 2,
  subnet: '172.31.250.0/24',
};

const LAB_NAME = /^[a-z][a-z0-9-]{0,23}$/;
const MAX_MASTERS = 7;
const MAX_AGENTS = 20;

export class LabError extends Error {}

/** RFC 1918 blocks: a lab network must never shadow a routable address. */
const PRIVATE = new BlockList();
PRIVATE.addSubnet('10.0.0.0', 8);
PRIVATE.addSubnet('172.16.0.0', 12);
PRIVATE.addSubnet('192.168.0.0', 16);

/** Every problem with the options at once, each naming the flag and the fix. */
export function labOptionProblems(o: LabOptions): string[] {
  const problems: string[] = [];
  if (!LAB_NAME.test(o.name))
    problems.push(
      `--name ${JSON.stringify(o.name)}: use a lowercase letter, then letters, digits or "-" (up to 24)`,
    );
  if (!Number.isInteger(o.masters) || o.masters < 1 || o.masters > MAX_MASTERS || o.masters % 2 === 0)
    problems.push(
      `--masters ${o.masters}: use an odd number from 1 to ${MAX_MASTERS} (a ZooKeeper quorum needs a majority)`,
    );
  if (!Number.isInteger(o.agents) || o.agents < 1 || o.agents > MAX_AGENTS)
    problems.push(`--agents ${o.agents}: use 1 to ${MAX_AGENTS}`);
  const m = /^(\d+\.\d+\.\d+)\.0\/24$/.exec(o.subnet);
  if (m === null || !isIPv4(`${m[1]}.0`) || !PRIVATE.check(`${m[1]}.0`))
    problems.push(
      `--subnet ${JSON.stringify(o.subnet)}: use a private /24 ending in .0/24, e.g. ${DEFAULT_LAB.subnet}`,
    );
  for (const [flag, value, example] of [
    ['--proxy', o.proxy, 'http://proxy.example.org:3128'],
    ['--debian-mirror', o.debianMirror, 'http://mirror.example.org/debian'],
  ] as const)
    if (value !== undefined && !isPackageSourceUrl(value))
      problems.push(`${flag} ${JSON.stringify(value)}: use an http:// or https:// URL such as ${example}`);
  return problems;
}

export function planLab(o: LabOptions): LabPlan {
  const problems = labOptionProblems(o);
  if (problems.length > 0) throw new LabError(problems.join('\n'));
  const prefix = o.subnet.replace(/\.0\/24$/, '');
  const host = (role: LabRole, i: number): LabHost => {
    const name = `${role === 'master' ? 'm' : 'a'}${i + 1}`;
    return {
      name,
      role,
      container: `${o.name}-${name}`,
      address: `${prefix}.${(role === 'master' ? 11 : 21) + i}`,
    };
  };
  return {
    name: o.name,
    network: o.name,
    subnet: o.subnet,
    gateway: `${prefix}.1`,
    hosts: [
      ...Array.from({ length: o.masters }, (_, i) => host('master', i)),
      ...Array.from({ length: o.agents }, (_, i) => host('agent', i)),
    ],
  };
}
