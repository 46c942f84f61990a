import type { MarathonAppDefinition } from './api/marathon-types';
import {
  APP_PORTS,
  labels,
  LIBMESOS_DIR,
  secretRef,
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
export const LIBMESOS = `${LIBMESOS_DIR}/libmesos.so`;
/** Where executors keep shuffle files when the external shuffle service is on (java.io.tmpdir). */
export const SHUFFLE_DIR = '/tmp';

/** The settings every Spark driver in the cluster uses (Zeppelin's interpreter, Livy sessions, the dispatcher). */
export function sparkDriverConf(ctx: AppContext): Record<string, string> {
  const s = ctx.spec.apps.spark;
  const conf: Record<string, string> = {
    'spark.master': ctx.sparkMaster,
    'spark.mesos.executor.docker.image': ctx.sparkImage,
    'spark.mesos.executor.home': SPARK_HOME,
    'spark.executor.cores': String(s.executorCores),
    'spark.executor.memory': s.executorMemory,
    'spark.cores.max': String(s.coresMax),
  };
  if (s.shuffleService) {
    conf['spark.shuffle.service.enabled'] = 'true';
    conf['spark.shuffle.service.port'] = String(APP_PORTS.sparkShuffle);
    conf['spark.dynamicAllocation.enabled'] = 'true';
    // With the shuffle service on, executors write shuffle files under /tmp (not the Mesos sandbox) and the
    // agent's shuffle service serves them from its own /tmp: both containers must see the host's /tmp.
    conf['spark.mesos.executor.docker.volumes'] = `${SHUFFLE_DIR}:${SHUFFLE_DIR}:rw`;
  }
  if (s.historyServer) {
    conf['spark.eventLog.enabled'] = 'true';
    conf['spark.eventLog.dir'] = `file://${SPARK_EVENTS_DIR}`;
  }
  if (ctx.spec.authEnabled) conf['spark.mesos.principal'] = valueRef('framework-principal');
  return conf;
}

/** Env every Spark driver container gets: libmesos, the master URL and (with auth) the framework secret. */
export function sparkDriverEnv(ctx: AppContext): Record<string, string> {
  return {
    MESOS_NATIVE_JAVA_LIBRARY: LIBMESOS,
    SPARK_MASTER: ctx.sparkMaster,
    ...(ctx.spec.authEnabled
      ? {
          SPARK_MESOS_PRINCIPAL: valueRef('framework-principal'),
          SPARK_MESOS_SECRET: secretRef('framework-secret'),
        }
      : {}),
  };
}

/** Volumes every Spark driver container gets: libmesos (read-only) and the event log directory. */
export function sparkDriverVolumes(
  ctx: AppContext,
): { containerPath: string; hostPath: string; mode: 'RW' | 'RO' }[] {
  return [
    { containerPath: LIBMESOS_DIR, hostPath: LIBMESOS_DIR, mode: 'RO' },
    ...(ctx.spec.apps.spark.historyServer
      ? [{ containerPath: SPARK_EVENTS_DIR, hostPath: SPARK_EVENTS_DIR, mode: 'RW' as const }]
      : []),
  ];
}

export function confArgs(conf: Readonly<Record<string, string>>): string {
  return Object.keys(conf)
    .sort()
    .map((k) => `--conf ${k}=${conf[k]}`)
    .join(' ');
}

export function renderSparkApps(ctx: AppContext): RenderedApp[] {
  const s = ctx.spec.apps.spark;
  const docker = { image: ctx.sparkImage, network: 'HOST' as const, forcePullImage: false };
  const dispatcher: MarathonAppDefinition = {
    id: SPARK_IDS.dispatcher,
    cmd:
      `${SPARK_HOME}/bin/spark-class org.apache.spark.deploy.mesos.MesosClusterDispatcher` +
      ` --master ${ctx.sparkMaster} --host $HOST --port ${APP_PORTS.sparkDispatcher}` +
      ` --webui-port ${APP_PORTS.sparkDispatcherUi} --name stars-spark-dispatcher --zk ${ctx.zookeeperConnect}` +
      ` ${confArgs({
        ...sparkDriverConf(ctx),
        'spark.deploy.recoveryMode': 'ZOOKEEPER',
        'spark.deploy.zookeeper.url': ctx.zookeeperConnect,
        'spark.deploy.zookeeper.dir': '/spark_mesos_dispatcher',
      })}`,
    cpus: s.dispatcherCpus,
    mem: s.dispatcherMemMb,
    instances: 1,
    container: { type: 'DOCKER', docker, volumes: sparkDriverVolumes(ctx) },
    env: sparkDriverEnv(ctx),
    portDefinitions: [
      { port: APP_PORTS.sparkDispatcherUi, protocol: 'tcp', name: 'ui' },
      { port: APP_PORTS.sparkDispatcher, protocol: 'tcp', name: 'submit' },
    ],
    requirePorts: true,
    healthChecks: [httpCheck('/', 120)],
    labels: labels(ctx, 'spark', 'dispatcher'),
  };
  const apps: RenderedApp[] = [
    { app: 'spark', definition: dispatcher, ui: { port: APP_PORTS.sparkDispatcherUi, path: '/' }, after: [] },
  ];
  if (s.historyServer) {
    apps.push({
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
        healthChecks: [httpCheck('/', 120)],
        labels: labels(ctx, 'spark', 'history'),
      },
      ui: { port: APP_PORTS.sparkHistory, path: '/' },
      after: [],
    });
  }
  if (s.shuffleService && ctx.agentCount > 0) {
    apps.push({
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
    });
  }
  return apps;
}
