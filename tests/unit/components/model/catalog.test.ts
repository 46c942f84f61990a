import { imageFor, VERSION_CATALOG } from '../../../../components/model/catalog';
import { COMPONENTS } from '../../../../components/model/types';

describe('the version catalog', () => {
  test.each(COMPONENTS.map((c) => [c]))(
    '%s: the default is a supported, exact version (never latest)',
    (component) => {
      const entry = VERSION_CATALOG[component];
      expect(entry.supported).toContain(entry.default);
      for (const v of entry.supported) expect(v).toMatch(/^\d[\w.-]*$/);
    },
  );

  test.each([
    ['marathon', '1.10.26', 'mesosphere/marathon:v1.10.26'],
    ['zookeeper', '3.9.5', 'zookeeper:3.9.5'],
    ['chronos', '3.0.2', 'mesosphere/chronos:v3.0.2'],
  ] as const)('imageFor(%s, %s) is %s', (component, version, image) => {
    expect(imageFor(component, version)).toBe(image);
  });

  test('a component without an image cannot be asked for one', () => {
    expect(() => imageFor('docker', '27.5.1')).toThrow(
      'docker has no published image in the version catalog',
    );
  });
});
