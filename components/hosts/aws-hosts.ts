import * as aws from '@pulumi/aws';
import { RemoteCommand } from './host-command';
import * as pulumi from '@pulumi/pulumi';
import * as tls from '@pulumi/tls';
import type { types as commandTypes } from '@pulumi/command';
import type { HostSpec } from '../model/types';
import type { Host } from './host';
import { renderCloudInit, userDataBase64, type HostPlan, type HostsPlan } from './plan-hosts';
import { awsTags, type AwsNetwork } from './aws-network';
import { REBOOT_MARKER } from './render-cgroups';
import { renderHostKeyRotation, SSHD_TARGET } from './render-host-key-rotation';
import { remoteBootstrap, sshConnection, sshDockerProvider } from './remote-bootstrap';
import { HostDockerProvider } from './host-docker-provider';
import { filledBootstrap, type BootstrapSecrets } from './bootstrap-secrets';

/** Device name the /var volume is attached as (nvme1n1 on Nitro; the script finds it by being the blank disk). */
export const VAR_DEVICE_NAME = '/dev/sdf';

export interface AwsHostArgs {
  readonly hosts: HostsPlan;
  readonly plan: HostPlan;
  readonly network: AwsNetwork;
  readonly provider: aws.Provider;
  readonly sshPrivateKey?: pulumi.Input<string>;
  readonly secrets?: BootstrapSecrets;
}

/**
 * One EC2 instance at its planned private address, an encrypted EBS volume for /var, and the bootstrap: cloud-init
 * runs the scripts at first boot; afterwards the same scripts run over SSH whenever their content changes.
 */
export class AwsHost extends pulumi.ComponentResource implements Host {
  readonly name: string;
  readonly spec: HostSpec;
  readonly privateAddress: string;
  readonly publicAddress: pulumi.Output<string>;
  readonly connection: commandTypes.input.remote.ConnectionArgs;
  readonly docker: HostDockerProvider;
  readonly ready: readonly pulumi.Resource[];
  readonly instance: aws.ec2.Instance;
  /** The bootstrap key cloud-init installs from user data; replaced over SSH before anything else runs. */
  readonly bootKeyPair: tls.PrivateKey;
  /** The key the host serves from then on: it never travels in user data. */
  readonly hostKeyPair: tls.PrivateKey;
  readonly hostKey: pulumi.Output<string>;

  constructor(name: string, args: AwsHostArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:hosts:AwsHost', name, {}, opts);
    const host = args.plan.spec;
    const inst = args.plan.aws;
    if (inst === undefined) throw new Error(`host ${host.name} has no AWS instance plan`);
    const role = host.roles.join('+');
    const tags = (n: string): Record<string, string> => awsTags(args.hosts, role, n, host.name);
    const o = { parent: this, provider: args.provider };
    const net = args.network;
    if (inst.availabilityZoneIndex >= net.subnetIds.length)
      throw new Error(
        `host ${host.name} is planned in availability zone ${inst.availabilityZoneIndex + 1} but only ${net.subnetIds.length} subnets exist; list one awsSubnetIds entry per zone`,
      );
    this.name = host.name;
    this.spec = host;
    this.privateAddress = host.address;

    // Both host keys are made here, so the first SSH contact already knows what to expect (no trust on first use).
    this.bootKeyPair = new tls.PrivateKey(`${name}-host-key`, { algorithm: 'ED25519' }, { parent: this });
    this.hostKeyPair = new tls.PrivateKey(
      `${name}-sshd-host-key`,
      { algorithm: 'ED25519' },
      { parent: this },
    );
    const sshPublicKey = args.hosts.aws?.sshPublicKey;
    if (sshPublicKey === undefined) throw new Error(`host ${host.name}: the AWS plan has no operator key`);
    // The cloud-config is rendered with placeholders, then filled (the proxy's login) before it is packed.
    const userData = pulumi
      .all([this.bootKeyPair.privateKeyOpenssh, this.bootKeyPair.publicKeyOpenssh])
      .apply(([privateKey, publicKey]) => {
        const cloudInit = renderCloudInit(host, inst.scripts, sshPublicKey, { privateKey, publicKey });
        return pulumi.output(filledBootstrap(cloudInit, args.secrets, host.name).text).apply(userDataBase64);
      });
    const groups = [
      ...(host.roles.includes('master') ? [net.securityGroupIds.masters] : []),
      ...(host.roles.includes('agent') ? [net.securityGroupIds.agents] : []),
    ];
    this.instance = new aws.ec2.Instance(
      `${name}-instance`,
      {
        ami: net.amiId,
        instanceType: inst.instanceType,
        subnetId: net.subnetIds[inst.availabilityZoneIndex],
        privateIp: host.address,
        associatePublicIpAddress: true,
        vpcSecurityGroupIds: groups,
        keyName: net.keyName,
        userDataBase64: pulumi.secret(userData),
        rootBlockDevice: { encrypted: true, volumeType: 'gp3', volumeSize: 20, tags: tags(`${name}-root`) },
        metadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled' },
        tags: tags(`${name}-instance`),
      },
      // A newer AMI or changed user data must not replace a running host: the SSH bootstrap below re-runs changed
      // scripts in place, and `pulumi up --replace` renews a host deliberately.
      // Delete before replace: the replacement needs the same private IP and the /var volume, which the old one holds.
      {
        ...o,
        dependsOn: [...net.ready],
        ignoreChanges: ['ami', 'userDataBase64'],
        deleteBeforeReplace: true,
      },
    );
    const volume = new aws.ebs.Volume(
      `${name}-var`,
      {
        availabilityZone: net.zoneNames[inst.availabilityZoneIndex],
        size: inst.varVolumeGb,
        type: 'gp3',
        encrypted: true,
        tags: tags(`${name}-var`),
      },
      // Every piece of the host's data lives here: pulumi destroy refuses it, and once unprotected keeps it.
      { ...o, protect: inst.protectVar, retainOnDelete: inst.protectVar },
    );
    const attachment = new aws.ec2.VolumeAttachment(
      `${name}-var-attachment`,
      { deviceName: VAR_DEVICE_NAME, volumeId: volume.id, instanceId: this.instance.id },
      { ...o, deleteBeforeReplace: true },
    );
    this.publicAddress = this.instance.publicIp;
    const bootKey = this.bootKeyPair.publicKeyOpenssh.apply((k) => k.trim());
    const pinned = this.hostKeyPair.publicKeyOpenssh.apply((k) => k.trim());
    this.hostKey = pinned;
    const bootConnection = sshConnection(host, this.instance.publicIp, args.sshPrivateKey, bootKey);
    this.connection = sshConnection(host, this.instance.publicIp, args.sshPrivateKey, pinned);
    const cloudInit = new RemoteCommand(
      `${name}-cloud-init`,
      {
        connection: bootConnection,
        // Exit 2 (cloud-init >= 23.4) means finished with warnings only; the SSH bootstrap below re-runs every script anyway.
        // An agent first booted with cgroup v2 reboots into v1 once cloud-init is done (40-cgroups.sh): stop
        // here with that message rather than race the reboot; the next pulumi up finds it on cgroup v1.
        create:
          'rc=0; cloud-init status --wait >/dev/null || rc=$?; ' +
          'if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then sudo tail -n 40 /var/log/cloud-init-output.log >&2; exit 1; fi; ' +
          `if [ -e ${REBOOT_MARKER} ]; then echo "${host.name} is rebooting into the cgroup v1 hierarchy Mesos 1.x agents need; run pulumi up again in a few minutes" >&2; exit 1; fi`,
        triggers: [this.instance.id],
      },
      { parent: this, dependsOn: [attachment] },
    );
    // The user data's key is known to whoever may read user data: replace it before anything else runs.
    const rotation = new RemoteCommand(
      `${name}-host-key-rotation`,
      {
        connection: bootConnection,
        create: pinned.apply((k) => renderHostKeyRotation(k, { ...SSHD_TARGET, port: host.ssh.port })),
        // Secret here too, whatever the provider marks: the state must never hold it in clear.
        stdin: pulumi.secret(this.hostKeyPair.privateKeyOpenssh),
        triggers: [this.instance.id],
      },
      { parent: this, dependsOn: [cloudInit], additionalSecretOutputs: ['stdin'] },
    );
    const bootstrap = remoteBootstrap(this, {
      prefix: name,
      plan: args.plan,
      connection: this.connection,
      dependsOn: [rotation],
      secrets: args.secrets,
    });
    this.ready = [attachment, bootstrap];
    this.docker = sshDockerProvider(this, `${name}-docker`, host, this.instance.publicIp, this.ready, pinned);
    this.registerOutputs({ privateAddress: this.privateAddress, publicAddress: this.publicAddress });
  }
}
