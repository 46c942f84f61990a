import { SPARK_PORTS } from '../plan/port-matrix';
import type { MarathonAppDefinition } from './api/marathon-types';
import { secretFilePath, secretsVolume, type SecretFile } from './render-secret-files';
import {
  APP_PORTS,
  labels,
  LIBMESOS_DIR,
  asImageUser,
  secretRef,
  SINGLE_WRITER,
  SPARK_EVENTS_DIR,
  tcpCheck,
  httpCheck,
  valueRef,
  type AppContext,
  type RenderedApp,
} from './render-common';

/**
 * Spark 3.5 on Mesos (the last line with Mesos support): the cluster-mode MesosClusterDispatcher, the
 * history server and one external shuffle service per agent, all from the pinned `apache/spark` image
 * (Spark in /opt/spark). Executors run in the same image (`spark.mesos.executor.docker.image`).
 */

export const SPARK_IDS = {
  dispatcher: '/spark/dispatcher',
  history: '/spark/history',
  shuffle: '/spark/shuffle',
} as const;

export const SPARK_HOME = '/opt/spark';
/** The apache/spark images' user (spark, uid and gid 185; apache/spark-docker Dockerfile). */
export const SPARK_USER = '185:185';
export const SPARK_UID = 185;
export const LIBMESOS = `${LIBMESOS_DIR}/libmesos.so`;
/** Where executors keep shuffle files when the external shuffle service is on (java.io.tmpdir). */
export const SHUFFLE_DIR = '/tmp';

/** The settings every Spark driver in the cluster uses (Zeppelin's interpreter, Livy sessions, the dispatcher). */
export function sparkDriverConf(ctx: AppContext): Record<string, string> {
  const s = ctx.apps.spark;
  const conf: Record<string, string> = {
    'spark.master': ctx.sparkMaster,
    'spark.mesos.executor.docker.image': ctx.sparkImage,
    'spark.mesos.executor.home': SPARK_HOME,
    'spark.executor.cores': String(s.executorCores),
    'spark.executor.memory': s.executorMemory,
    'spark.cores.max': String(s.coresMax),
  };
  // Fixed bases, so the firewall and security groups can let masters and executors call drivers back.
  conf['spark.driver.port'] = String(SPARK_PORTS.driver);
  conf['spark.driver.blockManager.port'] = String(SPARK_PORTS.driverBlockManager);
  conf['spark.blockManager.port'] = String(SPARK_PORTS.executorBlockManager);
  conf['spark.port.maxRetries'] = String(SPARK_PORTS.maxRetries);
  if (s.shuffleService) {
    conf['spark.shuffle.service.enabled'] = 'true';
    conf['spark.shuffle.service.port'] = String(APP_PORTS.sparkShuffle);
    conf['spark.dynamicAllocation.enabled'] = 'true';
    // With the shuffle service on, executors write shuffle files under /tmp (not the Mesos sandbox) and the
    // agent's shuffle service serves them from its own /tmp: both containers must see the host's /tmp.
    conf['spark.mesos.executor.docker.volumes'] = `${SHUFFLE_DIR}:${SHUFFLE_DIR}:rw`;
  }
  // Executors run as the image's user (185); without the shuffle service Spark would put its local dirs in
  // the root-owned sandbox (Utils.getConfiguredLocalDirs), so they always use /tmp.
  conf['spark.executorEnv.SPARK_LOCAL_DIRS'] = SHUFFLE_DIR;
  if (s.historyServer) {
    conf['spark.eventLog.enabled'] = 'true';
    conf['spark.eventLog.dir'] = `file://${SPARK_EVENTS_DIR}`;
  }
  if (ctx.authEnabled) conf['spark.mesos.principal'] = valueRef('framework-principal');
  return conf;
}

/**
 * Env every Spark driver container gets: libmesos, the loader and SASL paths for the libraries that came with
 * it (only the drivers' processes see them), and (with auth) the framework principal and secret.
 */
export function sparkDriverEnv(ctx: AppContext): Record<string, string> {
  return {
    MESOS_NATIVE_JAVA_LIBRARY: LIBMESOS,
    LD_LIBRARY_PATH: LIBMESOS_DIR,
    SASL_PATH: `${LIBMESOS_DIR}/sasl2`,
    // The image's spark-env.sh advertises the address this host reaches the masters from (images/spark).
    [MASTERS_ENV]: ctx.masterAddresses.join(' '),
    ...(ctx.authEnabled
      ? {
          SPARK_MESOS_PRINCIPAL: valueRef('framework-principal'),
          // MesosSchedulerUtils reads the secret from this file; the value never enters the definition.
          SPARK_MESOS_SECRET_FILE: secretFilePath(FRAMEWORK_SECRET_FILE),
        }
      : {}),
  };
}

const FRAMEWORK_SECRET_FILE = 'framework-secret';

/** Space-separated master addresses, read by images/spark/spark-env.sh when LIBPROCESS_IP is unset. */
export const MASTERS_ENV = 'STARS_MESOS_MASTERS';

/**
 * The master calls a driver's libprocess back at the address it advertises; unset, that is whatever the host
 * name resolves to (127.0.1.1 on Debian). Marathon sets $HOST to the agent's --hostname, its address
 * (render-mesos.ts). The port stays ephemeral: every driver on a host needs its own, and libprocess does not
 * retry a taken one (port-matrix.ts opens the range from the cluster).
 */
export const ADVERTISE_AGENT_ADDRESS = 'export LIBPROCESS_IP="$HOST" && ';

const DRIVER_DEFAULT = 'spark.mesos.dispatcher.driverDefault.';

/**
 * A cluster-mode driver gets only the dispatcher's `driverDefault.*` settings and its submitter's conf, never
 * the dispatcher's own: every driver setting, its environment and its volumes go there too.
 */
export function dispatcherDriverDefaults(ctx: AppContext): Record<string, string> {
  const out: Record<string, string> = {};
  const conf = sparkDriverConf(ctx);
  for (const key of Object.keys(conf)) if (key !== 'spark.master') out[`${DRIVER_DEFAULT}${key}`] = conf[key];
  const env = sparkDriverEnv(ctx);
  for (const key of Object.keys(env)) out[`${DRIVER_DEFAULT}spark.mesos.driverEnv.${key}`] = env[key];
  // The driver's container is built from the executors' volume setting, so it carries the driver's volumes.
  const volumes = [...sparkDriverVolumes(ctx), ...sparkDriverSecretVolumes(ctx, 'spark')].map(
    (v) => `${v.hostPath}:${v.containerPath}:${v.mode.toLowerCase()}`,
  );
  const shuffle = conf['spark.mesos.executor.docker.volumes'];
  const all = [...(shuffle === undefined ? [] : [shuffle]), ...volumes];
  if (all.length > 0) out[`${DRIVER_DEFAULT}spark.mesos.executor.docker.volumes`] = all.join(',');
  return out;
}

/** The framework secret as a file of the driver app `app`, readable by `uid` (with auth on). */
export function sparkDriverSecretFiles(ctx: AppContext, app: string, uid: number): SecretFile[] {
  return ctx.authEnabled
    ? [{ app, name: FRAMEWORK_SECRET_FILE, uid, content: secretRef('framework-secret') }]
    : [];
}

/** The read-only mount of a driver app's secret directory, when it has secret files. */
export function sparkDriverSecretVolumes(
  ctx: AppContext,
  app: string,
): { containerPath: string; hostPath: string; mode: 'RO' }[] {
  return ctx.authEnabled ? [secretsVolume(app)] : [];
}

/** Volumes every Spark driver container gets: the event log directory, when the history server is on. */
export function sparkDriverVolumes(
  ctx: AppContext,
): { containerPath: string; hostPath: string; mode: 'RW' | 'RO' }[] {
  return ctx.apps.spark.historyServer
    ? [{ containerPath: SPARK_EVENTS_DIR, hostPath: SPARK_EVENTS_DIR, mode: 'RW' }]
    : [];
}

export function confArgs(conf: Readonly<Record<string, string>>): string {
  return Object.keys(conf)
    .sort()
    .map((k) => `--conf ${k}=${conf[k]}`)
    .join(' ');
}

type SparkDocker = { image: string; network: 'HOST'; forcePullImage: false };

export function renderSparkApps(ctx: AppContext): RenderedApp[] {
  const s = ctx.apps.spark;
  const docker: SparkDocker = { image: ctx.sparkImage, network: 'HOST', forcePullImage: false };
  const apps: RenderedApp[] = [sparkDispatcher(ctx, docker)];
  if (s.historyServer) apps.push(sparkHistory(ctx, docker));
  if (s.shuffleService && ctx.agentCount > 0) apps.push(sparkShuffle(ctx, docker));
  return apps;
}

function sparkDispatcher(ctx: AppContext, docker: SparkDocker): RenderedApp {
  const s = ctx.apps.spark;
  const dispatcherRun = asImageUser(
    SPARK_USER,
    `${ADVERTISE_AGENT_ADDRESS}${SPARK_HOME}/bin/spark-class org.apache.spark.deploy.mesos.MesosClusterDispatcher` +
      ` --master ${ctx.sparkMaster} --host $HOST --port ${APP_PORTS.sparkDispatcher}` +
      ` --webui-port ${APP_PORTS.sparkDispatcherUi} --name stars-spark-dispatcher --zk ${ctx.zookeeperConnect}` +
      ` ${confArgs({
        ...sparkDriverConf(ctx),
        ...dispatcherDriverDefaults(ctx),
        'spark.deploy.recoveryMode': 'ZOOKEEPER',
        'spark.deploy.zookeeper.url': ctx.zookeeperConnect,
        'spark.deploy.zookeeper.dir': '/spark_mesos_dispatcher',
      })}`,
  );
  const dispatcher: MarathonAppDefinition = {
    id: SPARK_IDS.dispatcher,
    cmd: dispatcherRun.cmd,
    cpus: s.dispatcherCpus,
    mem: s.dispatcherMemMb,
    instances: 1,
    container: {
      type: 'DOCKER',
      docker: { ...docker, parameters: dispatcherRun.parameters },
      volumes: [...sparkDriverVolumes(ctx), ...sparkDriverSecretVolumes(ctx, 'spark')],
    },
    env: sparkDriverEnv(ctx),
    portDefinitions: [
      { port: APP_PORTS.sparkDispatcherUi, protocol: 'tcp', name: 'ui' },
      { port: APP_PORTS.sparkDispatcher, protocol: 'tcp', name: 'submit' },
    ],
    requirePorts: true,
    healthChecks: [httpCheck('/', 120)],
    labels: labels(ctx, 'spark', 'dispatcher'),
  };
  return {
    app: 'spark',
    definition: dispatcher,
    ui: { port: APP_PORTS.sparkDispatcherUi, path: '/' },
    after: [],
    secretFiles: sparkDriverSecretFiles(ctx, 'spark', SPARK_UID),
  };
}

function sparkHistory(ctx: AppContext, docker: SparkDocker): RenderedApp {
  return {
    app: 'spark',
    definition: {
      id: SPARK_IDS.history,
      cmd: `${SPARK_HOME}/bin/spark-class org.apache.spark.deploy.history.HistoryServer`,
      cpus: 0.5,
      mem: 1024,
      instances: 1,
      container: {
        type: 'DOCKER',
        docker,
        volumes: [{ containerPath: SPARK_EVENTS_DIR, hostPath: SPARK_EVENTS_DIR, mode: 'RO' }],
      },
      env: {
        SPARK_HISTORY_OPTS:
          `-Dspark.history.ui.port=${APP_PORTS.sparkHistory}` +
          ` -Dspark.history.fs.logDirectory=file://${SPARK_EVENTS_DIR}`,
      },
      portDefinitions: [{ port: APP_PORTS.sparkHistory, protocol: 'tcp', name: 'ui' }],
      requirePorts: true,
      constraints: [['hostname', 'CLUSTER', ctx.pinnedHost]],
      // One host and a fixed port: Marathon's default (start the new task, then stop the old) would wait for a
      // port the old task holds, and the deployment would never finish.
      upgradeStrategy: SINGLE_WRITER,
      healthChecks: [httpCheck('/', 120)],
      labels: labels(ctx, 'spark', 'history'),
    },
    ui: { port: APP_PORTS.sparkHistory, path: '/' },
    after: [],
  };
}

function sparkShuffle(ctx: AppContext, docker: SparkDocker): RenderedApp {
  return {
    app: 'spark',
    definition: {
      id: SPARK_IDS.shuffle,
      // The shuffle service's main ignores its arguments (ExternalShuffleService.main only loads
      // spark-defaults.conf); spark-class passes SPARK_SHUFFLE_OPTS to this class's JVM.
      cmd: `${SPARK_HOME}/bin/spark-class org.apache.spark.deploy.mesos.MesosExternalShuffleService`,
      cpus: 0.25,
      mem: 512,
      // One per agent: executors on every agent hand their shuffle files to the local service.
      instances: ctx.agentCount,
      container: {
        type: 'DOCKER',
        docker,
        volumes: [{ containerPath: SHUFFLE_DIR, hostPath: SHUFFLE_DIR, mode: 'RW' }],
      },
      env: { SPARK_SHUFFLE_OPTS: `-Dspark.shuffle.service.port=${APP_PORTS.sparkShuffle}` },
      portDefinitions: [{ port: APP_PORTS.sparkShuffle, protocol: 'tcp', name: 'shuffle' }],
      requirePorts: true,
      constraints: [['hostname', 'UNIQUE']],
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 },
      healthChecks: [tcpCheck(60)],
      labels: labels(ctx, 'spark', 'shuffle'),
    },
    after: [],
  };
}
