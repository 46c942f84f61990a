import { stringify } from 'yaml';
import type { LabPlan } from './lab-plan';

/**
 * `Pulumi.lab.yaml`: an onprem stack whose hosts are the lab's, each host key pinned, written by the YAML
 * serializer. The SSH key is secret config, which only the Pulumi CLI can encrypt, so it is not in this file:
 * `lab up` sets it through the CLI when one is installed and prints the command otherwise.
 */

/** First line of a stack file the lab wrote; `down` removes only a file that starts with it. */
export const STACK_FILE_MARKER = '# Written by `npm run lab -- up`';

export function renderLabStackFile(
  plan: LabPlan,
  hostKeys: Readonly<Record<string, string>>,
  extra: { readonly proxy?: string } = {},
): string {
  const hosts = plan.hosts.map((h) => {
    const hostKey = hostKeys[h.name];
    if (hostKey === undefined) throw new Error(`lab host ${h.name} has no host key`);
    return {
      name: h.name,
      address: h.address,
      roles: [h.role],
      ssh: { privateKey: 'config', hostKey },
    };
  });
  const config = {
    'stars:environment': 'staging',
    'stars:mode': 'onprem',
    'stars:clusterName': plan.name,
    // The operator is this machine, seen from the lab network at the engine's gateway address.
    'stars:adminCidrs': [`${plan.gateway}/32`],
    'stars:sshUser': 'stars',
    // Docker's own repository is often unreachable from a lab; the hosts already run Debian's engine.
    'stars:packageSources': {
      dockerEngine: 'distribution',
      ...(extra.proxy === undefined ? {} : { proxy: extra.proxy }),
    },
    'stars:hosts': hosts,
  };
  return (
    `${STACK_FILE_MARKER} for the lab ${JSON.stringify(plan.name)} (network ${plan.subnet}); ` +
    '`npm run lab -- down` removes it.\n' +
    '# The SSH key is secret config: pulumi config set --secret --stack lab stars:sshPrivateKey < <key>\n' +
    stringify({ config }, { lineWidth: 0 })
  );
}
