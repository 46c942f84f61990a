import { createHash } from 'crypto';
import { gzipSync } from 'zlib';
import type { RenderedDocument } from '../plan/documents';
import { appHostDirectories } from '../plan/topology';
import type { AwsSpec, ClusterSpec, HostSpec, Mode } from '../spec/types';
import { planAwsNetwork, azIndexOf, type AwsNetworkPlan } from './plan-aws-network';
import { renderBootstrapBundle } from './render-bootstrap-bundle';
import { renderFirewallRuleset, renderFirewallScript } from './render-firewall';
import { DEFER_REBOOT_ENV, REBOOT_MARKER, renderCgroupScript } from './render-cgroups';
import {
  BOOTSTRAP_DIR,
  renderDockerScript,
  renderLocalCheckScript,
  renderPreflightScript,
  renderSystemScript,
  renderVarVolumeScript,
  type BootstrapScript,
} from './render-bootstrap';

/** Everything the Hosts component needs, computed from the spec alone. */

export interface PlannedScript extends BootstrapScript {
  /** sha256 of `content`, hex: the trigger that re-runs the step when (and only when) the script changes. */
  readonly sha256: string;
  /** Where the script is installed and run on the host. */
  readonly installPath: string;
}

export interface AwsInstancePlan {
  readonly availabilityZoneIndex: number;
  readonly instanceType: string;
  readonly varVolumeGb: number;
  readonly cloudInit: string;
  readonly cloudInitSha256: string;
  /** Gzipped cloud-config (EC2 user data is limited to 16 KB; cloud-init unpacks gzip itself). */
  readonly userDataBase64: string;
}

export interface HostPlan {
  readonly name: string;
  readonly spec: HostSpec;
  /** Bootstrap steps in run order: over SSH for onprem and aws, a local check for local. */
  readonly scripts: readonly PlannedScript[];
  /** onprem with hostFirewall: the firewall script (run after the bootstrap) and the ruleset it applies. */
  readonly firewall?: { readonly script: string; readonly sha256: string; readonly ruleset: string };
  /** onprem and aws: `scripts` as one script that installs and runs them, sent over SSH as one command. */
  readonly bundle?: { readonly content: string; readonly sha256: string };
  readonly aws?: AwsInstancePlan;
}

export interface HostsPlan {
  readonly mode: Mode;
  readonly stack: string;
  readonly clusterName: string;
  readonly hosts: readonly HostPlan[];
  readonly aws?: AwsNetworkPlan & {
    readonly amiOwner: string;
    readonly amiNameFilter: string;
    readonly sshPublicKey: string;
  };
  readonly documents: readonly RenderedDocument[];
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function planned(scripts: readonly BootstrapScript[]): PlannedScript[] {
  return scripts.map((s) => ({ ...s, sha256: sha256(s.content), installPath: `${BOOTSTRAP_DIR}/${s.file}` }));
}

/** The scripts a cluster host (onprem or aws) runs, in order. */
export function bootstrapScripts(spec: ClusterSpec, host: HostSpec): BootstrapScript[] {
  const docker = spec.versions.docker;
  return [
    ...(spec.mode === 'aws' ? [{ file: '00-var-volume.sh', content: renderVarVolumeScript(host) }] : []),
    { file: '10-preflight.sh', content: renderPreflightScript(host) },
    {
      file: '20-system.sh',
      content: renderSystemScript(host, host.roles.includes('agent') ? appHostDirectories(spec) : []),
    },
    { file: '30-docker.sh', content: renderDockerScript(host, docker, host.ssh.user) },
    ...(host.roles.includes('agent') ? [{ file: '40-cgroups.sh', content: renderCgroupScript(host) }] : []),
  ];
}

/** cloud-config that installs the same scripts and runs them in order at first boot. */
export function renderCloudInit(
  host: HostSpec,
  scripts: readonly PlannedScript[],
  sshPublicKey: string,
): string {
  const indent = (text: string): string =>
    text
      .replace(/\n$/, '')
      .split('\n')
      .map((line) => (line === '' ? '' : `      ${line}`))
      .join('\n');
  const files = scripts
    .map(
      (s) => `  - path: ${s.installPath}
    owner: root:root
    permissions: '0755'
    content: |
${indent(s.content)}
`,
    )
    .join('');
  // The cgroup step only marks the instance here; cloud-init reboots it once every script has run.
  const runs = scripts
    .map((s) =>
      s.file === '40-cgroups.sh'
        ? `  - [env, ${DEFER_REBOOT_ENV}=yes, bash, ${s.installPath}]\n`
        : `  - [bash, ${s.installPath}]\n`,
    )
    .join('');
  const reboot = scripts.some((s) => s.file === '40-cgroups.sh')
    ? `power_state:
  mode: reboot
  message: Stars reboots into the cgroup v1 hierarchy Mesos 1.x agents need
  condition: [test, -e, ${REBOOT_MARKER}]
`
    : '';
  // The configured SSH user may not be the AMI's default user (admin, ubuntu, rocky), so it is created here.
  return `#cloud-config
# Stars bootstrap for host ${host.name}: the same scripts the SSH bootstrap runs (components/hosts/render-bootstrap.ts).
users:
  - default
  - name: ${host.ssh.user}
    shell: /bin/bash
    sudo: ALL=(ALL) NOPASSWD:ALL
    ssh_authorized_keys:
      - ${JSON.stringify(sshPublicKey)}
write_files:
${files}runcmd:
${runs}${reboot}`;
}

function awsInstance(aws: AwsSpec, host: HostSpec, scripts: readonly PlannedScript[]): AwsInstancePlan {
  const cloudInit = renderCloudInit(host, scripts, aws.sshPublicKey);
  return {
    availabilityZoneIndex: azIndexOf(host),
    instanceType: host.roles.includes('master') ? aws.masterInstanceType : aws.agentInstanceType,
    varVolumeGb: aws.varVolumeGb,
    cloudInit,
    cloudInitSha256: sha256(cloudInit),
    // mtime 0 and a fixed OS byte keep the bytes (and so the instance inputs) deterministic.
    userDataBase64: gzipSync(Buffer.from(cloudInit, 'utf8'), { level: 9 })
      .fill(0, 4, 8)
      .fill(3, 9, 10)
      .toString('base64'),
  };
}

function planFirewall(spec: ClusterSpec, host: HostSpec): NonNullable<HostPlan['firewall']> {
  const script = renderFirewallScript(spec, host);
  return { script, sha256: sha256(script), ruleset: renderFirewallRuleset(spec, host) };
}

export function planHosts(spec: ClusterSpec): HostsPlan {
  const hosts: HostPlan[] = [...spec.hosts]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((host) => {
      if (spec.mode === 'local') {
        return {
          name: host.name,
          spec: host,
          scripts: planned([
            { file: 'check.sh', content: renderLocalCheckScript(host, spec.versions.docker) },
          ]),
        };
      }
      const scripts = planned(bootstrapScripts(spec, host));
      const content = renderBootstrapBundle(host.name, scripts);
      const remote = {
        name: host.name,
        spec: host,
        scripts,
        bundle: { content, sha256: sha256(content) },
        ...(spec.hostFirewall ? { firewall: planFirewall(spec, host) } : {}),
      };
      if (spec.mode === 'aws') {
        if (spec.aws === undefined)
          throw new Error('mode aws needs the aws settings (awsRegion, awsMasters, …)');
        return { ...remote, aws: awsInstance(spec.aws, host, scripts) };
      }
      return remote;
    });

  const documents: RenderedDocument[] = [];
  for (const h of hosts) {
    for (const s of h.scripts)
      documents.push({ path: `hosts/${h.name}/bootstrap/${s.file}`, content: s.content });
    if (h.firewall !== undefined) {
      documents.push({ path: `hosts/${h.name}/firewall.nft`, content: h.firewall.ruleset });
      documents.push({ path: `hosts/${h.name}/firewall.sh`, content: h.firewall.script });
    }
    if (h.aws !== undefined)
      documents.push({ path: `hosts/${h.name}/cloud-init.yaml`, content: h.aws.cloudInit });
  }

  const aws =
    spec.mode === 'aws' && spec.aws !== undefined
      ? {
          ...planAwsNetwork(spec, spec.aws),
          amiOwner: spec.aws.amiOwner,
          amiNameFilter: spec.aws.amiNameFilter,
          sshPublicKey: spec.aws.sshPublicKey,
        }
      : undefined;
  return {
    mode: spec.mode,
    stack: spec.stack,
    clusterName: spec.clusterName,
    hosts,
    ...(aws === undefined ? {} : { aws }),
    documents,
  };
}
