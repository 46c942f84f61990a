import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import * as tls from '@pulumi/tls';
import type { Host } from '../hosts/host';
import type { BasicCredentials, ClientAccess } from '../platform/endpoints';
import type { PlatformStackOutputs } from '../platform/platform';
import { PlatformContainer } from '../platform/platform-container';
import { hostByName, type PlatformSecrets } from '../platform/service-containers';
import { EDGE_PORTS } from '../plan/topology';
import { EDGE_FILES, HTTPD_IMAGE_PATHS, type EdgePlan } from './plan-edge';
import { renderHtpasswd, renderLoginDefines } from './render-httpd';

export interface EdgeArgs {
  readonly plan: EdgePlan;
  readonly hosts: readonly Host[];
  readonly clusterName: string;
  /** The platform's own outputs; the edge replaces the URLs and logins clients use. */
  readonly platform: PlatformStackOutputs;
  readonly secrets: PlatformSecrets;
  readonly ldapBindPassword?: pulumi.Output<string>;
  /** The edge starts after these (Mesos-DNS answering on the masters). */
  readonly after: readonly pulumi.Resource[];
}

export interface EdgeStackOutputs extends PlatformStackOutputs {
  readonly appUrls: pulumi.Output<Record<string, string>>;
  /** PEM of the CA that signed the edge's certificates: what clients trust. */
  readonly edgeCaCertificate?: pulumi.Output<string>;
  /** People's edge logins (`admin` and stars:edgeUsers; operators or users by stars:edgeOperators); secret. */
  readonly edgeCredentials?: pulumi.Output<Record<string, { username: string; password: string }>>;
}

const DAY_HOURS = 24;
const CA_VALIDITY_HOURS = 10 * 365 * DAY_HOURS;
const CERT_VALIDITY_HOURS = 2 * 365 * DAY_HOURS;

/**
 * The TLS edge: Apache httpd on every master, one port per UI/API, one login (local bcrypt users, or the site's
 * directory for people), the backends' own logins injected so a person logs in once. Certificates come from a CA
 * generated for the stack (@pulumi/tls) and exported as `edgeCaCertificate`. Disabled, it passes the platform's
 * outputs through unchanged.
 */
export class Edge extends pulumi.ComponentResource {
  readonly outputs: EdgeStackOutputs;
  /** Set when the edge is on: the REST clients go through it. */
  readonly access?: ClientAccess;

  constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:edge:Edge', name, {}, opts);
    const { plan } = args;
    if (!plan.enabled) {
      this.outputs = { ...args.platform, appUrls: pulumi.output({ ...plan.clusterAppUrls }) };
      this.registerOutputs({});
      return;
    }
    const parent = { parent: this };
    const caKey = new tls.PrivateKey(`${name}-ca-key`, { algorithm: 'ECDSA', ecdsaCurve: 'P256' }, parent);
    const ca = new tls.SelfSignedCert(
      `${name}-ca`,
      {
        privateKeyPem: caKey.privateKeyPem,
        isCaCertificate: true,
        validityPeriodHours: CA_VALIDITY_HOURS,
        allowedUses: ['cert_signing', 'crl_signing'],
        subject: { commonName: `Stars ${args.clusterName} edge CA`, organization: 'Stars' },
      },
      parent,
    );
    const passwords = new Map(
      plan.users.map((u) => [
        u,
        new random.RandomPassword(`${name}-user-${u}`, { length: 24, special: false }, parent),
      ]),
    );
    const htpasswd = pulumi.secret(
      pulumi
        .all(plan.users.map((u) => (passwords.get(u) as random.RandomPassword).bcryptHash))
        .apply((hashes) => renderHtpasswd(Object.fromEntries(plan.users.map((u, i) => [u, hashes[i]])))),
    );
    const logins =
      plan.backendLogins.length === 0
        ? undefined
        : pulumi.secret(
            pulumi
              .all(plan.backendLogins.map((l) => secretOf(args.secrets, l.secret)))
              .apply((pws) =>
                renderLoginDefines(
                  Object.fromEntries(
                    plan.backendLogins.map((l, i) => [l.define, { username: l.username, password: pws[i] }]),
                  ),
                ),
              ),
          );
    if (plan.directory !== undefined && args.ldapBindPassword === undefined)
      throw new Error('edge: the directory login needs stars:ldapBindPassword (set it with --secret)');

    const publicAddress = new Map<string, pulumi.Output<string>>();
    for (const h of plan.hosts) {
      const host = hostByName(args.hosts, h.host);
      publicAddress.set(h.host, host.publicAddress);
      const key = new tls.PrivateKey(
        `${name}-${h.host}-key`,
        { algorithm: 'ECDSA', ecdsaCurve: 'P256' },
        parent,
      );
      const csr = new tls.CertRequest(
        `${name}-${h.host}-csr`,
        {
          privateKeyPem: key.privateKeyPem,
          subject: { commonName: h.address, organization: 'Stars' },
          ipAddresses: pulumi
            .all([host.privateAddress, host.publicAddress])
            .apply(([a, b]) => [...new Set([a, b])].sort()),
          dnsNames: [h.host],
        },
        parent,
      );
      const cert = new tls.LocallySignedCert(
        `${name}-${h.host}-cert`,
        {
          certRequestPem: csr.certRequestPem,
          caPrivateKeyPem: caKey.privateKeyPem,
          caCertPem: ca.certPem,
          validityPeriodHours: CERT_VALIDITY_HOURS,
          earlyRenewalHours: 30 * DAY_HOURS,
          allowedUses: ['digital_signature', 'key_encipherment', 'server_auth'],
        },
        parent,
      );
      const root = { owner: '0', group: '0', permissions: '0400' };
      const image = new docker.RemoteImage(
        `${name}-${h.host}-image`,
        { name: plan.image, keepLocally: true },
        { parent: this, provider: host.docker, dependsOn: [...host.ready] },
      );
      new PlatformContainer(
        `${name}-${h.host}`,
        {
          name: plan.containerName,
          image: image.name,
          networkMode: 'host',
          restart: 'unless-stopped',
          mustRun: true,
          ...(plan.dns === undefined ? {} : { dns: [...plan.dns] }),
          uploads: [
            { file: HTTPD_IMAGE_PATHS.config, content: h.config },
            { file: EDGE_FILES.certificate, content: pulumi.concat(cert.certPem, ca.certPem) },
            { file: EDGE_FILES.key, content: pulumi.secret(key.privateKeyPem), ...root },
            {
              file: EDGE_FILES.users,
              content: htpasswd,
              owner: String(HTTPD_IMAGE_PATHS.uid),
              group: String(HTTPD_IMAGE_PATHS.gid),
              permissions: '0400',
            },
            {
              file: EDGE_FILES.groups,
              content: plan.groupFile,
              owner: String(HTTPD_IMAGE_PATHS.uid),
              group: String(HTTPD_IMAGE_PATHS.gid),
              permissions: '0400',
            },
            ...(logins === undefined ? [] : [{ file: EDGE_FILES.logins, content: logins, ...root }]),
            ...(plan.directory === undefined || args.ldapBindPassword === undefined
              ? []
              : [
                  {
                    file: EDGE_FILES.ldapBindPassword,
                    content: bindPassword(args.ldapBindPassword),
                    ...root,
                  },
                ]),
          ],
        },
        {
          parent: this,
          provider: host.docker,
          dependsOn: [...host.ready, ...args.after],
          deleteBeforeReplace: true,
          additionalSecretOutputs: ['uploads'],
        },
      );
    }

    const first = plan.hosts[0]?.host ?? '';
    const urlsOf = (port: number, path = '') =>
      pulumi
        .all(plan.hosts.map((h) => publicAddress.get(h.host) as pulumi.Output<string>))
        .apply((as) => as.map((a) => `https://${a}:${port}${path}`));
    const firstAddress = publicAddress.get(first) as pulumi.Output<string>;
    const stars = passwords.get('stars') as random.RandomPassword;
    const starsLogin: BasicCredentials = { username: 'stars', password: stars.result };
    const secretLogin = pulumi.secret(stars.result.apply((password) => ({ username: 'stars', password })));
    const marathonUrls = urlsOf(EDGE_PORTS.marathon);
    const chronosUrls = urlsOf(EDGE_PORTS.chronos);
    this.access = {
      marathonUrls,
      chronosUrls,
      marathonCredentials: starsLogin,
      chronosCredentials: starsLogin,
      caCertificate: ca.certPem,
    };
    const people = plan.users.filter((u) => u !== 'stars');
    this.outputs = {
      ...args.platform,
      mesosUiUrl: pulumi.interpolate`https://${firstAddress}:${EDGE_PORTS.mesos}`,
      marathonUrl: marathonUrls.apply((u) => u[0]),
      chronosUrl: chronosUrls.apply((u) => u[0]),
      marathonUrls,
      chronosUrls,
      marathonCredentials: secretLogin,
      chronosCredentials: secretLogin,
      appUrls: firstAddress.apply((a) =>
        Object.fromEntries(plan.appUrls.map((u) => [u.key, `https://${a}:${u.port}${u.path}`])),
      ),
      edgeCaCertificate: ca.certPem,
      edgeCredentials: pulumi.secret(
        pulumi
          .all(people.map((u) => (passwords.get(u) as random.RandomPassword).result))
          .apply((pws) => Object.fromEntries(people.map((u, i) => [u, { username: u, password: pws[i] }]))),
      ),
    };
    this.registerOutputs({ caCertificate: ca.certPem });
  }
}

function secretOf(secrets: PlatformSecrets, name: keyof PlatformSecrets): pulumi.Output<string> {
  const v = secrets[name];
  if (v === undefined)
    throw new Error(`edge: the platform generated no ${name} secret, which the edge sends its backend`);
  return v;
}

/** An unset secret key arrives as its declared default "", known at preview: fail there, with the fix. */
function bindPassword(v: pulumi.Output<string>): pulumi.Output<string> {
  return pulumi.secret(
    v.apply((pw) => {
      if (pw === '')
        throw new Error(
          'the edge checks logins against the directory and needs its bind password: set it with `pulumi config set --secret stars:ldapBindPassword <password>`',
        );
      return pw;
    }),
  );
}
