import { CURL_IMAGE } from '../model/catalog';
import { imageFor } from '../model/catalog';
import {
  APP_PORTS,
  asImageUser,
  dataVolume,
  httpCheck,
  labels,
  pinnedHttpService,
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

/** The Apache binary release (no release image exists), unpacked by the Mesos fetcher into the sandbox. */
export function livyRelease(version: string): { uri: string; dir: string } {
  const dir = `apache-livy-${version}_2.12-bin`;
  return { uri: `https://archive.apache.org/dist/incubator/livy/${version}/${dir}.zip`, dir };
}

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
  const release = livyRelease(ctx.versions.livy);
  const livyHome = `$MESOS_SANDBOX/${release.dir}`;
  const authenticated = ctx.livyAuthenticated;
  // The fetcher unpacks Livy into the sandbox as root; stars-run gives it to the image's user first.
  const run = asImageUser(
    SPARK_USER,
    `${ADVERTISE_AGENT_ADDRESS}mkdir -p ${livyHome}/logs $MESOS_SANDBOX/spark-conf && printf '%s' "$LIVY_CONF" > ${livyHome}/conf/livy.conf` +
      ` && printf '%s' "$LIVY_SPARK_BLACKLIST" > ${livyHome}/conf/spark-blacklist.conf` +
      ` && printf '%s' "$SPARK_DEFAULTS" > $MESOS_SANDBOX/spark-conf/spark-defaults.conf` +
      ` && export SPARK_HOME=${SPARK_HOME} SPARK_CONF_DIR=$MESOS_SANDBOX/spark-conf && exec ${livyHome}/bin/livy-server`,
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
        docker: { image: ctx.sparkImage, network: 'HOST', parameters: run.parameters },
        volumes: [...sparkDriverVolumes(ctx), ...sparkDriverSecretVolumes(ctx, 'livy')],
      },
      fetch: [{ uri: release.uri, extract: true, cache: true }],
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

/** A Java 8 runtime for Blazegraph 2.1.5 (it predates Java 9); the same image the Mesos image takes curl from. */
export const BLAZEGRAPH_JRE_IMAGE = CURL_IMAGE;

/** The release asset; release tags are `BLAZEGRAPH_RELEASE_2_1_5` (blazegraph/database tags). */
export function blazegraphJar(version: string): string {
  return `https://github.com/blazegraph/database/releases/download/BLAZEGRAPH_RELEASE_${version.replace(/\./g, '_')}/blazegraph.jar`;
}

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
      cmd:
        `printf '%s' "$BLAZEGRAPH_PROPERTIES" > $MESOS_SANDBOX/RWStore.properties` +
        ` && printf '%s' "$BLAZEGRAPH_WEB_XML" > $MESOS_SANDBOX/override-web.xml` +
        ` && exec java -server -Xms${b.heap} -Xmx${b.heap} -Djetty.port=${APP_PORTS.blazegraph}` +
        ` -Dbigdata.propertyFile=$MESOS_SANDBOX/RWStore.properties` +
        ` -Djetty.overrideWebXml=$MESOS_SANDBOX/override-web.xml -jar $MESOS_SANDBOX/blazegraph.jar`,
      cpus: b.cpus,
      mem: b.memMb,
      instances: 1,
      container: {
        type: 'DOCKER',
        docker: { image: BLAZEGRAPH_JRE_IMAGE, network: 'HOST' },
        volumes: [dataVolume('blazegraph', '/data')],
      },
      fetch: [{ uri: blazegraphJar(ctx.versions.blazegraph), cache: true }],
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

export function renderLightning(ctx: AppContext): RenderedApp {
  const l = ctx.apps.lightning;
  return {
    app: 'lightning',
    definition: {
      id: '/lightning',
      // In development mode Lightning keeps SQLite at <app root>/database.sqlite (config/database.js) inside
      // the container; the link puts it on the data volume so a replaced container keeps the visualizations.
      // The app root and start command are those of lightning-viz/lightning's Dockerfile (/usr/src/app, npm start).
      // The password comes from its secret file into the server's own environment, not the definition's.
      cmd:
        `LIGHTNING_PASSWORD="$(cat ${secretFilePath('lightning-password')})" && export LIGHTNING_PASSWORD` +
        ' && ln -sfn /data/database.sqlite /usr/src/app/database.sqlite && exec npm start',
      cpus: l.cpus,
      mem: l.memMb,
      instances: 1,
      container: {
        type: 'DOCKER',
        // The site's image (appSettings.lightning.image): no published Lightning image is on record.
        docker: { image: l.image ?? '', network: 'HOST' },
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
    // lightning-viz/lightning's Dockerfile has no USER: the server runs as root (tests/contract/upstream).
    secretFiles: [
      { app: 'lightning', name: 'lightning-password', uid: 0, content: secretRef('lightning-password') },
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
