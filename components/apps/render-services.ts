import { imageFor } from '../model/catalog';
import {
  APP_PORTS,
  asImageUser,
  dataVolume,
  httpCheck,
  labels,
  pinnedHttpService,
  projectImage,
  secretRef,
  tcpCheck,
  type AppContext,
  type RenderedApp,
} from './render-common';
import { renderSparkDefaults } from './render-notebooks';
import { secretFilePath, secretsVolume } from './render-secret-files';
import {
  SPARK_HOME,
  SPARK_UID,
  SPARK_USER,
  ADVERTISE_AGENT_ADDRESS,
  sparkDriverConf,
  sparkDriverEnv,
  sparkDriverSecretFiles,
  sparkDriverSecretVolumes,
  sparkDriverVolumes,
} from './render-spark';

/** Livy (Spark sessions over REST), Blazegraph (SPARQL) and Lightning (visualizations). */

/** Where the Stars Livy image holds the release (images/livy), and where a task writes its configuration. */
export const LIVY_HOME = '/opt/livy';
const LIVY_CONF_DIR = '$MESOS_SANDBOX/livy-conf';

/** conf/livy.conf; with `auth` and an LDAP/AD directory configured for Zeppelin, Livy authenticates against it. */
export function renderLivyConf(ctx: AppContext): string {
  const l = ctx.apps.livy;
  const z = ctx.apps.zeppelin;
  const lines = [
    'livy.server.host = 0.0.0.0',
    `livy.server.port = ${APP_PORTS.livy}`,
    `livy.spark.master = ${ctx.sparkMaster}`,
    'livy.spark.deploy-mode = client',
    `livy.server.session.timeout = ${l.sessionTimeout}`,
    'livy.server.session.timeout-check = true',
    'livy.server.recovery.mode = off',
  ];
  if (ctx.livyAuthenticated) {
    lines.push(
      'livy.server.auth.type = ldap',
      `livy.server.auth.ldap.url = ${z.ldapUrl ?? ''}`,
      `livy.server.auth.ldap.base-dn = ${z.ldapSearchBase ?? ''}`,
      'livy.server.auth.ldap.security-authentication = simple',
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Spark settings a Livy session or batch may not set (conf/spark-blacklist.conf: Livy refuses a request naming
 * any of these keys exactly, tests/contract/upstream/livy): Livy's own template, and everything that would change
 * the container, the Mesos identity or the master of a user's driver and executors. The agents' Docker guard
 * refuses widened containers whatever a request sets; this refuses them before a driver starts.
 */
export const LIVY_SPARK_BLACKLIST: readonly string[] = [
  'livy.rsc.server.idle-timeout',
  'spark.master',
  'spark.mesos.containerizer',
  'spark.mesos.driverEnv.SPARK_MESOS_SECRET_FILE',
  'spark.mesos.executor.docker.forcePullImage',
  'spark.mesos.executor.docker.image',
  'spark.mesos.executor.docker.parameters',
  'spark.mesos.executor.docker.portmaps',
  'spark.mesos.executor.docker.volumes',
  'spark.mesos.executor.home',
  'spark.mesos.network.labels',
  'spark.mesos.network.name',
  'spark.mesos.principal',
  'spark.mesos.principal.file',
  'spark.mesos.role',
  'spark.mesos.secret',
  'spark.mesos.secret.file',
  'spark.submit.deployMode',
  'spark.yarn.archive',
  'spark.yarn.jar',
  'spark.yarn.jars',
];

export function renderLivySparkBlacklist(): string {
  return `${[...LIVY_SPARK_BLACKLIST].sort().join('\n')}\n`;
}

export function renderLivy(ctx: AppContext): RenderedApp {
  const l = ctx.apps.livy;
  const authenticated = ctx.livyAuthenticated;
  // The release is in the image (images/livy); its configuration goes to the sandbox, which stars-run hands over.
  const run = asImageUser(
    SPARK_USER,
    `${ADVERTISE_AGENT_ADDRESS}mkdir -p ${LIVY_CONF_DIR} $MESOS_SANDBOX/spark-conf && printf '%s' "$LIVY_CONF" > ${LIVY_CONF_DIR}/livy.conf` +
      ` && printf '%s' "$LIVY_SPARK_BLACKLIST" > ${LIVY_CONF_DIR}/spark-blacklist.conf` +
      ` && printf '%s' "$SPARK_DEFAULTS" > $MESOS_SANDBOX/spark-conf/spark-defaults.conf` +
      ` && export LIVY_CONF_DIR=${LIVY_CONF_DIR} SPARK_HOME=${SPARK_HOME} SPARK_CONF_DIR=$MESOS_SANDBOX/spark-conf && exec ${LIVY_HOME}/bin/livy-server`,
  );
  return {
    app: 'livy',
    definition: {
      id: '/livy',
      cmd: run.cmd,
      cpus: l.cpus,
      mem: l.memMb,
      instances: 1,
      container: {
        type: 'DOCKER',
        docker: { image: projectImage(ctx, 'livy'), network: 'HOST', parameters: run.parameters },
        volumes: [...sparkDriverVolumes(ctx), ...sparkDriverSecretVolumes(ctx, 'livy')],
      },
      env: {
        ...sparkDriverEnv(ctx),
        LIVY_CONF: renderLivyConf(ctx),
        LIVY_SPARK_BLACKLIST: renderLivySparkBlacklist(),
        SPARK_DEFAULTS: renderSparkDefaults(sparkDriverConf(ctx)),
        LIVY_SERVER_JAVA_OPTS: `-Xmx${Math.max(256, Math.floor(l.memMb / 2))}m`,
      },
      portDefinitions: [{ port: APP_PORTS.livy, protocol: 'tcp', name: 'http' }],
      requirePorts: true,
      // Behind LDAP every path needs credentials, so only the port can be checked.
      healthChecks: [authenticated ? tcpCheck(180) : httpCheck('/sessions', 180)],
      labels: labels(ctx, 'livy', 'server'),
    },
    ui: { port: APP_PORTS.livy, path: '/ui' },
    after: ['/spark/dispatcher'],
    secretFiles: sparkDriverSecretFiles(ctx, 'livy', SPARK_UID),
  };
}

/** Where the Stars Blazegraph image holds the release jar (images/blazegraph), and the user it runs as. */
export const BLAZEGRAPH_JAR = '/opt/blazegraph/blazegraph.jar';
export const BLAZEGRAPH_UID = 1000;

/** RWStore properties: the journal lives on the app's data volume so it survives restarts. */
export function renderBlazegraphProperties(): string {
  return `${[
    'com.bigdata.journal.AbstractJournal.file=/data/blazegraph.jnl',
    'com.bigdata.journal.AbstractJournal.bufferMode=DiskRW',
    'com.bigdata.service.AbstractTransactionService.minReleaseAge=1',
    'com.bigdata.rdf.store.AbstractTripleStore.textIndex=false',
    'com.bigdata.rdf.sail.truthMaintenance=false',
    'com.bigdata.rdf.store.AbstractTripleStore.quads=true',
    'com.bigdata.rdf.store.AbstractTripleStore.statementIdentifiers=false',
    'com.bigdata.rdf.store.AbstractTripleStore.axiomsClass=com.bigdata.rdf.axioms.NoAxioms',
  ].join('\n')}\n`;
}

/**
 * web.xml override: the `readOnly` context parameter (ConfigParams READ_ONLY). No CORS filter: the 2.1.5 jar
 * ships no jetty-servlets, so a CrossOriginFilter would stop the app at start (parse-time refusal).
 */
export function renderBlazegraphWebXml(readOnly: boolean): string {
  return `${[
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<web-app xmlns="http://java.sun.com/xml/ns/javaee" version="3.0">',
    '  <context-param>',
    '    <param-name>readOnly</param-name>',
    `    <param-value>${readOnly}</param-value>`,
    '  </context-param>',
    '</web-app>',
  ].join('\n')}\n`;
}

export function renderBlazegraph(ctx: AppContext): RenderedApp {
  const b = ctx.apps.blazegraph;
  return {
    app: 'blazegraph',
    definition: {
      id: '/blazegraph',
      // The image's user cannot write the root-owned sandbox (its working directory, runc enters it as root), so
      // the server works in the container's /tmp.
      cmd:
        `cd /tmp && printf '%s' "$BLAZEGRAPH_PROPERTIES" > /tmp/RWStore.properties` +
        ` && printf '%s' "$BLAZEGRAPH_WEB_XML" > /tmp/override-web.xml` +
        ` && exec java -server -Xms${b.heap} -Xmx${b.heap} -Djetty.port=${APP_PORTS.blazegraph}` +
        ` -Dbigdata.propertyFile=/tmp/RWStore.properties` +
        ` -Djetty.overrideWebXml=/tmp/override-web.xml -jar ${BLAZEGRAPH_JAR}`,
      cpus: b.cpus,
      mem: b.memMb,
      instances: 1,
      container: {
        type: 'DOCKER',
        docker: { image: projectImage(ctx, 'blazegraph'), network: 'HOST' },
        volumes: [dataVolume('blazegraph', '/data')],
      },
      env: {
        BLAZEGRAPH_PROPERTIES: renderBlazegraphProperties(),
        BLAZEGRAPH_WEB_XML: renderBlazegraphWebXml(b.readOnly),
      },
      ...pinnedHttpService(
        ctx,
        'blazegraph',
        'sparql',
        APP_PORTS.blazegraph,
        httpCheck('/blazegraph/status', 300),
      ),
    },
    ui: { port: APP_PORTS.blazegraph, path: '/blazegraph/sparql' },
    after: [],
  };
}

/** The Stars Lightning image's app directory and user (images/lightning: node, 1000:1000). */
export const LIGHTNING_UID = 1000;

export function renderLightning(ctx: AppContext): RenderedApp {
  const l = ctx.apps.lightning;
  return {
    app: 'lightning',
    definition: {
      id: '/lightning',
      // Development mode keeps SQLite at <app>/database.sqlite (config/database.js); the Stars image links it to
      // the data volume, so a replaced container keeps the visualizations, and a site's image (upstream's layout,
      // run as root) gets the link here. The password goes from its secret file into the server's environment.
      cmd:
        `LIGHTNING_PASSWORD="$(cat ${secretFilePath('lightning-password')})" && export LIGHTNING_PASSWORD` +
        (l.image === undefined ? '' : ' && ln -sfn /data/database.sqlite /usr/src/app/database.sqlite') +
        ' && cd /usr/src/app && exec node server.js',
      cpus: l.cpus,
      mem: l.memMb,
      instances: 1,
      container: {
        type: 'DOCKER',
        docker: { image: l.image ?? projectImage(ctx, 'lightning'), network: 'HOST' },
        volumes: [dataVolume('lightning', '/data'), secretsVolume('lightning')],
      },
      env: {
        PORT: String(APP_PORTS.lightning),
        NODE_ENV: 'development',
        LIGHTNING_USERNAME: 'admin',
      },
      // Every path answers 401 without credentials, so only the port is checked.
      ...pinnedHttpService(ctx, 'lightning', 'server', APP_PORTS.lightning, tcpCheck(120)),
    },
    ui: { port: APP_PORTS.lightning, path: '/' },
    after: [],
    secretFiles: [
      {
        app: 'lightning',
        name: 'lightning-password',
        // A site's image runs as root (upstream's Dockerfile has no USER).
        uid: l.image === undefined ? LIGHTNING_UID : 0,
        content: secretRef('lightning-password'),
      },
    ],
  };
}

/**
 * The Jenkins LTS controller (optional): the image's own entrypoint (tini, jenkins.sh) on a fixed task port, its
 * home on the pinned agent. People reach it through the edge's login; Jenkins keeps its own users too (the setup
 * wizard's first password is in `secrets/initialAdminPassword` under its home on that agent).
 */
export function renderJenkins(ctx: AppContext): RenderedApp {
  const j = ctx.apps.jenkins;
  return {
    app: 'jenkins',
    definition: {
      id: '/jenkins',
      cpus: j.cpus,
      mem: j.memMb,
      instances: 1,
      container: {
        type: 'DOCKER',
        docker: { image: imageFor('jenkins', ctx.versions.jenkins), network: 'HOST' },
        volumes: [dataVolume('jenkins', '/var/jenkins_home')],
      },
      env: {
        // jenkins.sh hands JENKINS_OPTS to the war and JAVA_OPTS to the JVM (tests/contract/upstream/jenkins).
        JENKINS_OPTS: `--httpPort=${APP_PORTS.jenkins} --httpListenAddress=0.0.0.0`,
        JAVA_OPTS: `-Xmx${Math.max(256, Math.floor(j.memMb * 0.6))}m`,
      },
      ...pinnedHttpService(ctx, 'jenkins', 'controller', APP_PORTS.jenkins, httpCheck('/login', 300)),
    },
    ui: { port: APP_PORTS.jenkins, path: '/' },
    after: [],
  };
}
