import { readFileSync } from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { CONFIG_KEYS } from '../../../../components/model/config-keys';
import { renderPulumiYaml } from '../../../../components/model/render-pulumi-yaml';

const committed = readFileSync(path.resolve(__dirname, '../../../../Pulumi.yaml'), 'utf8');

describe('Pulumi.yaml is rendered from the config-key table', () => {
  test('the committed file is exactly what the renderer produces (run `npm run render:pulumi-yaml` after editing the table)', () => {
    expect(committed).toBe(renderPulumiYaml());
  });

  test('every non-object key is declared with a type Pulumi accepts, a description and a default', () => {
    const doc = parse(committed) as {
      name: string;
      config: Record<
        string,
        { type: string; description: string; default: unknown; items?: { type: string } }
      >;
    };
    expect(doc.name).toBe('stars');
    const declared = CONFIG_KEYS.filter((k) => k.type !== 'object');
    expect(Object.keys(doc.config)).toEqual(declared.map((k) => `stars:${k.key}`));
    for (const decl of Object.values(doc.config)) {
      expect(['string', 'integer', 'boolean', 'array']).toContain(decl.type);
      expect(decl.description.length).toBeGreaterThan(10);
      expect(decl.default).not.toBeUndefined();
      if (decl.type === 'array') expect(decl.items).toEqual({ type: 'string' });
    }
  });

  test('object keys, which Pulumi cannot type, are documented in comments', () => {
    for (const k of CONFIG_KEYS.filter((c) => c.type === 'object')) {
      expect(committed).toContain(`  # stars:${k.key} (object): `);
    }
  });

  test('the CLI runs the compiled entry point without ts-node, with the Node options the benchmark measures', () => {
    const doc = parse(committed) as { main: string; runtime: unknown };
    expect(doc.main).toBe('bin/pulumi-main.js');
    expect(doc.runtime).toEqual({
      name: 'nodejs',
      options: { typescript: false, nodeargs: '--max-semi-space-size=64' },
    });
    // tsconfig.build.json (`npm run build`) compiles pulumi-main.ts into bin/.
    const build = JSON.parse(
      readFileSync(path.resolve(__dirname, '../../../../tsconfig.build.json'), 'utf8'),
    ) as { compilerOptions: { outDir: string }; include: string[] };
    expect(build.compilerOptions.outDir).toBe('bin');
    expect(build.include).toContain('pulumi-main.ts');
  });

  test('optional secrets default to empty so the CLI does not demand them', () => {
    const doc = parse(committed) as { config: Record<string, { default: unknown }> };
    expect(doc.config['stars:sshPrivateKey'].default).toBe('');
  });
});
