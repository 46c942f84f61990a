import fc from 'fast-check';
import { dnsNameFor } from '../../../../components/apps/plan-apps';
import { isDnsLabel } from '../../../../components/model/read-values';

/** Marathon app ids: path segments of RFC 1123 labels joined by dots (PathId's ID_PATH_SEGMENT_PATTERN). */
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const segment = fc.array(label, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('.'));
const appId = fc.array(segment, { minLength: 1, maxLength: 4 }).map((ss) => `/${ss.join('/')}`);
const domain = fc.array(label, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('.'));

describe('dnsNameFor, for any Marathon app id', () => {
  test('gives one DNS label of at most 24 characters under marathon.<domain>', () => {
    fc.assert(
      fc.property(appId, domain, (id, d) => {
        const name = dnsNameFor(id, d);
        const suffix = `.marathon.${d}`;
        expect(name.endsWith(suffix)).toBe(true);
        const first = name.slice(0, -suffix.length);
        expect(isDnsLabel(first)).toBe(true);
        expect(first.length).toBeLessThanOrEqual(24);
      }),
    );
  });

  test('names the innermost segment first, so /group/app and /other/app differ only after it', () => {
    fc.assert(
      fc.property(appId, label, (id, leaf) => {
        expect(dnsNameFor(`${id}/${leaf}`, 'mesos').startsWith(leaf.slice(0, 24).replace(/-+$/, ''))).toBe(
          true,
        );
      }),
    );
  });
});
