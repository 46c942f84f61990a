import * as command from '@pulumi/command';
import * as pulumi from '@pulumi/pulumi';
import type { Host } from '../hosts/host';
import { sshClientOptions } from '../hosts/remote-bootstrap';
import { rollOrder } from './plan-gates';
import { needsLeaderLookup, parseLeaderReport, type Leaders } from './plan-leaders';
import type { PlatformPlan } from './plan-platform';
import { renderLeaderLookup, renderLeaderProbe, type ProbeTarget } from './render-leader-probe';
import { hostByName } from './service-containers';

/** Each master gets this long to answer, its SSH dial included; the look-up tries them in host-name order. */
const PER_MASTER_SECONDS = 60;

function probeTarget(host: Host): pulumi.Output<ProbeTarget> {
  if (host.connection === undefined) return pulumi.output({ name: host.name, argv: ['bash', '-s'] });
  const ssh = host.spec.ssh;
  return pulumi
    .all([sshClientOptions(host.spec, host.publicAddress, host.hostKey), host.publicAddress])
    .apply(([options, address]) => ({
      name: host.name,
      argv: ['ssh', ...options, '-p', String(ssh.port), `${ssh.user}@${address}`, 'bash -s'],
    }));
}

/**
 * Which member of each service leads now, read from the running cluster each time the program runs (preview and
 * up alike: an invoke, not a resource, so nothing is stored). Undefined when no service has two members to order.
 * What the look-up could not learn is logged on the platform component, and those services roll in host-name
 * order: a cluster that is not built yet, or not reachable from here, still gets a plan.
 */
export function lookupLeaders(
  parent: pulumi.Resource,
  plan: PlatformPlan,
  hosts: readonly Host[],
): pulumi.Output<Leaders> | undefined {
  if (!needsLeaderLookup(plan.containers)) return undefined;
  const masters = rollOrder(plan.containers, 'zookeeper').map((c) => hostByName(hosts, c.host));
  const run = pulumi.all(masters.map(probeTarget)).apply((targets) =>
    command.local.runOutput(
      {
        command: renderLeaderLookup(targets, PER_MASTER_SECONDS),
        interpreter: ['/bin/bash', '-c'],
        stdin: renderLeaderProbe(plan),
        addPreviousOutputInEnv: false,
      },
      { parent },
    ),
  );
  return run.apply((r) => {
    const reading = parseLeaderReport(r.stdout ?? '', plan.containers);
    for (const note of reading.notes) {
      if (note.level === 'warn') void pulumi.log.warn(note.message, parent);
      else void pulumi.log.info(note.message, parent);
    }
    return reading.leaders;
  });
}
