/**
 * What the Pulumi CLI runs (Pulumi.yaml `main: bin/pulumi-main.js`): the program compiled by `npm run build`, as
 * plain JavaScript. Under ts-node every stack trace the Pulumi SDK records (four per resource property) is mapped
 * through source maps, which made evaluation several times slower (README "Scale"). A build older than its
 * sources is refused, so a stale bin/ is never previewed or deployed.
 */
import * as path from 'path';
import { assertBuildFresh } from './scripts/lib/build-freshness';

assertBuildFresh(path.resolve(__dirname, '..'), __dirname);

export * from './index';
