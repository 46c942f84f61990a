import livy09 from '../../../contract/upstream/livy/0.9.0-incubating.json';
import livy08 from '../../../contract/upstream/livy/0.8.0-incubating.json';
import {
  LIVY_SPARK_BLACKLIST,
  renderLivy,
  renderLivySparkBlacklist,
} from '../../../../components/apps/render-services';
import { appContext } from '../../../../components/apps/render-common';
import { appsSpec } from '../../../support/apps-spec';

/** Livy's own check (Session.prepareConf): the request's conf keys that are in the file, by exact key. */
function refusedByLivy(file: string, conf: Record<string, string>): string[] {
  const keys = new Set(file.split('\n').filter((l) => l !== '' && !l.startsWith('#')));
  return Object.keys(conf).filter((k) => keys.has(k));
}

describe('Livy spark-blacklist.conf', () => {
  test.each([
    ['0.9.0-incubating', livy09.sparkConfBlacklist],
    ['0.8.0-incubating', livy08.sparkConfBlacklist],
  ])("keeps every key of Livy %s's own template", (_v, fact) => {
    expect(LIVY_SPARK_BLACKLIST).toEqual(expect.arrayContaining(fact.templateKeys));
    expect([fact.file, fact.match, fact.appliesTo]).toEqual([
      'spark-blacklist.conf',
      'exact key',
      ['interactive', 'batch'],
    ]);
  });

  test.each([
    ['Docker parameters (privileged=true)', { 'spark.mesos.executor.docker.parameters': 'privileged=true' }],
    ['another executor image', { 'spark.mesos.executor.docker.image': 'docker:27.5.1-cli' }],
    ['host volumes', { 'spark.mesos.executor.docker.volumes': '/:/host:rw' }],
    ['a shell in the executor home', { 'spark.mesos.executor.home': '/x; id' }],
    ['another principal and secret', { 'spark.mesos.principal': 'marathon', 'spark.mesos.secret': 'x' }],
    ['another master', { 'spark.master': 'mesos://evil:5050' }],
  ])('a session asking for %s is refused by the rendered file', (_what, conf) => {
    expect(refusedByLivy(renderLivySparkBlacklist(), conf)).toEqual(Object.keys(conf));
  });

  test('ordinary tuning passes', () => {
    expect(
      refusedByLivy(renderLivySparkBlacklist(), { 'spark.executor.memory': '4g', 'spark.cores.max': '8' }),
    ).toEqual([]);
  });

  test("the app writes the file into Livy's conf directory, which bin/livy-server puts on the classpath", () => {
    const app = renderLivy(appContext(appsSpec()));
    expect(app.definition.cmd).toContain(
      `printf '\\''%s'\\'' "$LIVY_SPARK_BLACKLIST" > $MESOS_SANDBOX/livy-conf/spark-blacklist.conf`,
    );
    expect(app.definition.cmd).toContain('export LIVY_CONF_DIR=$MESOS_SANDBOX/livy-conf ');
    expect(app.definition.env?.LIVY_SPARK_BLACKLIST).toBe(renderLivySparkBlacklist());
  });
});
