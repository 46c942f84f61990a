import { FRAMEWORK_NAMES, PORTS } from '../plan/topology';
import type { HostSpec } from '../model/types';
import { HTTP_USER, PRINCIPALS, secretPlaceholder } from './render-secrets';

/** Marathon and Chronos command lines. Both run on every master; ZooKeeper elects one leader of each. */

export const FRAMEWORK_FILES = {
  marathonMesosSecret: '/etc/marathon/mesos-secret',
  marathonLogback: '/etc/marathon/logback.xml',
  chronosMesosSecret: '/etc/chronos/mesos-secret',
} as const;

/**
 * Marathon's logging, read through JAVA_OPTS (-Dlogback.configurationFile): its bundled console appender, but
 * the start-up dump of every option (logger MarathonApp, INFO) silenced, because it prints http_credentials,
 * which MESOSPHERE_HTTP_CREDENTIALS defines, in clear text to every master's container log. A fixed document
 * with no value of ours in it, so a literal.
 */
export const MARATHON_LOGBACK = `<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder>
      <pattern>[%date] %-5level %message \\(%logger:%thread\\)%n</pattern>
    </encoder>
  </appender>
  <appender name="async" class="ch.qos.logback.classic.AsyncAppender">
    <appender-ref ref="STDOUT"/>
  </appender>
  <logger name="mesosphere.marathon.MarathonApp" level="WARN"/>
  <root level="INFO">
    <appender-ref ref="async"/>
  </root>
</configuration>
`;

export const MARATHON_JAVA_OPTS = `-Dlogback.configurationFile=${FRAMEWORK_FILES.marathonLogback}`;

export interface FrameworkArgsInput {
  readonly host: HostSpec;
  /** `zk://…/mesos`. */
  readonly masterUrl: string;
  readonly authEnabled: boolean;
}

export interface MarathonArgsInput extends FrameworkArgsInput {
  /** `zk://…/marathon`. */
  readonly stateUrl: string;
}

/**
 * With auth, `--zk` (which then carries Marathon's ZooKeeper login) comes from MARATHON_ZK instead: Marathon turns
 * MARATHON_* variables into flags inside the JVM (Main.envToArgs), so the password is not on the command line.
 */
export function marathonArgs(input: MarathonArgsInput): string[] {
  return [
    '--master',
    input.masterUrl,
    ...(input.authEnabled ? [] : ['--zk', input.stateUrl]),
    '--hostname',
    input.host.address,
    '--http_port',
    String(PORTS.marathon),
    // Mesos-DNS names tasks <task>.<framework>.<domain>; a fixed name keeps them stable.
    '--framework_name',
    FRAMEWORK_NAMES.marathon,
    ...(input.authEnabled
      ? [
          '--mesos_authentication',
          '--mesos_authentication_principal',
          PRINCIPALS.marathon.principal,
          '--mesos_authentication_secret_file',
          FRAMEWORK_FILES.marathonMesosSecret,
        ]
      : []),
  ];
}

export interface ChronosArgsInput extends FrameworkArgsInput {
  /** `h1:2181,h2:2181` — Chronos takes a host list, not a zk:// URL. */
  readonly zkHosts: string;
}

export function chronosArgs(input: ChronosArgsInput): string[] {
  return [
    '--master',
    input.masterUrl,
    '--zk_hosts',
    input.zkHosts,
    '--zk_path',
    '/chronos',
    '--hostname',
    input.host.address,
    '--mesos_framework_name',
    FRAMEWORK_NAMES.chronos,
    ...(input.authEnabled
      ? [
          '--mesos_authentication_principal',
          PRINCIPALS.chronos.principal,
          '--mesos_authentication_secret_file',
          FRAMEWORK_FILES.chronosMesosSecret,
        ]
      : []),
  ];
}

/** `user:{{secret:…}}` for MESOSPHERE_HTTP_CREDENTIALS, so the password never appears in a command line. */
export function httpCredentialsEnv(service: 'marathon' | 'chronos'): string {
  return `${HTTP_USER}:${secretPlaceholder(service === 'marathon' ? 'marathon-http' : 'chronos-http')}`;
}
