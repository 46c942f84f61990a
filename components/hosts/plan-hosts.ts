import { createHash } from 'crypto';
import { stringify } from 'yaml';
import { gzipSync } from 'zlib';
import { stableJson, type RenderedDocument } from '../plan/documents';
import { appHostDirectories, dataSets } from '../plan/topology';
import { committedHostScript } from './committed-scripts';
import { renderDataBackupScript } from './render-data-backup';
import type { AwsSpec, ClusterSpec, HostSpec, Mode } from '../model/types';
import { AMI_ARCHITECTURE, planAwsNetwork, azIndexOf, type AwsNetworkPlan } from './plan-aws-network';
import { renderBootstrapBundle } from './render-bootstrap-bundle';
import { renderDockerScript } from './render-docker';
import { renderMetadataGuardScript } from './render-metadata-guard';
import { noProxyList, renderPackageSourcesScript } from './render-package-sources';
import { renderFirewallRuleset, renderFirewallScript } from './render-firewall';
import { DEFER_REBOOT_ENV, REBOOT_MARKER, renderCgroupScript } from './render-cgroups';
import {
  BOOTSTRAP_DIR,
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
  /** The /var volume (every piece of the host's data) is protected and retained on delete (stars:protectData). */
  readonly protectVar: boolean;
  /** The cloud-config with placeholders where the generated host key goes (what `npm run plan` shows). */
  readonly cloudInit: string;
  /** What the program renders the real cloud-config from (renderCloudInit with the generated key). */
  readonly scripts: readonly PlannedScript[];
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
  /** local: the Docker endpoint of the machine running Pulumi. */
  readonly localDockerHost: string;
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
  const noProxy = noProxyList(spec);
  const sources = spec.packageSources;
  return [
    ...(spec.mode === 'aws' ? [{ file: '00-var-volume.sh', content: renderVarVolumeScript(host) }] : []),
    { file: '05-package-sources.sh', content: renderPackageSourcesScript(host, sources, noProxy) },
    { file: '10-preflight.sh', content: renderPreflightScript(host) },
    {
      file: '20-system.sh',
      content: renderSystemScript(host, host.roles.includes('agent') ? appHostDirectories(spec) : []),
    },
    ...(spec.mode === 'aws'
      ? [{ file: '25-metadata-guard.sh', content: renderMetadataGuardScript(host) }]
      : []),
    {
      file: '30-docker.sh',
      // On AWS agents the metadata guard finds containers by the cgroupfs driver's cgroup.
      content: renderDockerScript(
        host,
        docker,
        sources,
        noProxy,
        host.ssh.user,
        spec.mode === 'aws' && host.roles.includes('agent') ? 'cgroupfs' : undefined,
      ),
    },
    ...(host.roles.includes('agent') ? [{ file: '40-cgroups.sh', content: renderCgroupScript(host) }] : []),
    ...dataBackupStep(spec, host),
  ];
}

/** 60-data-backup.sh on the hosts that hold data, when stars:dataBackup is set. */
function dataBackupStep(spec: ClusterSpec, host: HostSpec): BootstrapScript[] {
  const sets = dataSets(spec)[host.name];
  if (spec.dataBackup === undefined || sets === undefined) return [];
  return [
    {
      file: '60-data-backup.sh',
      content: renderDataBackupScript(host, spec.dataBackup, sets, committedHostScript('data-backup.sh')),
    },
  ];
}

/** The instance's SSH host key, generated by the program (its public half is pinned before first contact). */
export interface HostKeyPair {
  readonly privateKey: string;
  readonly publicKey: string;
}

/** What `npm run plan` shows where the generated host key goes; the program puts the real key there. */
export const hostKeyPlaceholder = (hostName: string): HostKeyPair => ({
  privateKey: `<generated by the program: hosts-${hostName}-host-key, secret>`,
  publicKey: `<generated by the program: hosts-${hostName}-host-key>`,
});

/**
 * cloud-config that installs the same scripts and runs them in order at first boot, written by the YAML
 * serializer (a value can never break out of its field). Supplying `ssh_keys` makes cloud-init install that host
 * key and generate none (cc_ssh, fixtures in tests/contract/upstream/cloud-init).
 */
export function renderCloudInit(
  host: HostSpec,
  scripts: readonly PlannedScript[],
  sshPublicKey: string,
  hostKey: HostKeyPair = hostKeyPlaceholder(host.name),
): string {
  const hasCgroups = scripts.some((s) => s.file === '40-cgroups.sh');
  const config = {
    // The configured SSH user may not be the AMI's default user (admin, ubuntu, rocky), so it is created here.
    users: [
      'default',
      {
        name: host.ssh.user,
        shell: '/bin/bash',
        sudo: 'ALL=(ALL) NOPASSWD:ALL',
        ssh_authorized_keys: [sshPublicKey],
      },
    ],
    ssh_deletekeys: true,
    ssh_keys: { ed25519_private: hostKey.privateKey, ed25519_public: hostKey.publicKey.trim() },
    write_files: scripts.map((s) => ({
      path: s.installPath,
      owner: 'root:root',
      permissions: '0755',
      content: s.content,
    })),
    // The cgroup step only marks the instance here; cloud-init reboots it once every script has run.
    runcmd: scripts.map((s) =>
      s.file === '40-cgroups.sh'
        ? ['env', `${DEFER_REBOOT_ENV}=yes`, 'bash', s.installPath]
        : ['bash', s.installPath],
    ),
    ...(hasCgroups
      ? {
          power_state: {
            mode: 'reboot',
            message: 'Stars reboots into the cgroup v1 hierarchy Mesos 1.x agents need',
            condition: ['test', '-e', REBOOT_MARKER],
          },
        }
      : {}),
  };
  const header =
    `#cloud-config\n# Stars bootstrap for host ${host.name}: the same scripts the SSH bootstrap runs ` +
    '(components/hosts/render-bootstrap.ts).\n';
  return header + stringify(config, { lineWidth: 0, blockQuote: 'literal' });
}

/** EC2 user data: the cloud-config gzipped (16 KB limit; cloud-init unpacks gzip itself), bytes deterministic. */
export function userDataBase64(cloudInit: string): string {
  // mtime 0 and a fixed OS byte keep the bytes (and so the instance inputs) deterministic.
  return gzipSync(Buffer.from(cloudInit, 'utf8'), { level: 9 })
    .fill(0, 4, 8)
    .fill(3, 9, 10)
    .toString('base64');
}

function awsInstance(
  aws: AwsSpec,
  host: HostSpec,
  scripts: readonly PlannedScript[],
  protectVar: boolean,
): AwsInstancePlan {
  const cloudInit = renderCloudInit(host, scripts, aws.sshPublicKey);
  return {
    availabilityZoneIndex: azIndexOf(host),
    instanceType: host.roles.includes('master') ? aws.masterInstanceType : aws.agentInstanceType,
    varVolumeGb: aws.varVolumeGb,
    protectVar,
    cloudInit,
    scripts,
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
        return { ...remote, aws: awsInstance(spec.aws, host, scripts, spec.protectData) };
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
  // Which image the instances boot is decided by AWS at deploy time: the plan says how it is chosen.
  if (spec.mode === 'aws' && spec.aws !== undefined)
    documents.push({
      path: 'aws/ami.json',
      content: stableJson({
        owners: [spec.aws.amiOwner],
        filters: { architecture: [AMI_ARCHITECTURE], name: [spec.aws.amiNameFilter] },
        mostRecent: true,
        region: spec.aws.region,
      }),
    });

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
    localDockerHost: spec.localDockerHost,
    stack: spec.stack,
    clusterName: spec.clusterName,
    hosts,
    ...(aws === undefined ? {} : { aws }),
    documents,
  };
}
