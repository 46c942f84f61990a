import { readFileSync } from 'fs';
import * as path from 'path';
import { mmdcArgs, puppeteerLaunchOptions } from '../../scripts/lib/graph-svg';

/**
 * The npm tools the scripts drive, against facts read from the pinned packages (upstream/tools/npm-tools.json):
 * the installed versions are the recorded ones and still carry each quoted line, and what the scripts pass
 * (mermaid-cli's flags, Puppeteer's launch options and config file, the pulumi package's messages) is in them.
 */

const ROOT = path.resolve(__dirname, '..', '..');
interface Fact {
  /** `npm:<package>@<version>:<file>:<lines>` */
  readonly source: string;
  readonly value?: string;
  readonly values?: readonly string[];
  readonly quotes: readonly string[];
}
const facts = (
  JSON.parse(readFileSync(path.join(__dirname, 'upstream', 'tools', 'npm-tools.json'), 'utf8')) as {
    facts: Record<string, Fact>;
  }
).facts;
const fact = (name: string): Fact => {
  const f = facts[name];
  if (f === undefined) throw new Error(`no fact ${name}`);
  return f;
};
/** The package, version and file a fact's source names. */
const origin = (f: Fact): { pkg: string; version: string; file: string } => {
  const m = /^npm:(@?[^@]+)@([^:]+):([^:]+)/.exec(f.source);
  if (m === null) throw new Error(`source ${f.source} is not npm:<package>@<version>:<file>`);
  return { pkg: m[1], version: m[2], file: m[3] };
};
const installed = (pkg: string): { version: string } =>
  JSON.parse(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as {
    version: string;
  };
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};

describe('npm tools against their pinned sources', () => {
  test.each(Object.entries(facts))(
    '%s: the installed package is the recorded version and still says so',
    (_n, f) => {
      const o = origin(f);
      expect(installed(o.pkg).version).toBe(o.version);
      const source = readFileSync(path.join(ROOT, 'node_modules', o.pkg, o.file), 'utf8');
      for (const q of f.quotes) expect(source).toContain(q);
    },
  );

  test.each(['@mermaid-js/mermaid-cli', 'puppeteer', 'pulumi'])(
    '%s is pinned exactly in package.json',
    (pkg) => {
      const f = Object.values(facts).find((x) => origin(x).pkg === pkg);
      expect(f).toBeDefined();
      expect(manifest.devDependencies[pkg]).toBe(f === undefined ? undefined : origin(f).version);
    },
  );

  test('the renderer is given only flags it has', () => {
    const flags = mmdcArgs('in.mmd', 'out.svg', 'p.json').filter((a) => a.startsWith('-'));
    expect([...flags].sort()).toEqual(fact('mermaid-cli.flags').values);
  });

  test('the launch options are Puppeteer launch options, and the download is stopped by the config file it reads', () => {
    expect(Object.keys(puppeteerLaunchOptions('/usr/bin/chromium', true)).sort()).toEqual(
      fact('mermaid-cli.puppeteerConfigIsLaunchOptions').values,
    );
    const rc = fact('cosmiconfig.searchPlaceCjs').value ?? '';
    expect(readFileSync(path.join(ROOT, rc), 'utf8')).toContain('module.exports = { skipDownload: true };');
  });

  test("up:dev's and the stars CLI's words about the pulumi package match what it does", () => {
    expect(readFileSync(path.join(ROOT, 'scripts', 'up-dev.sh'), 'utf8')).toContain(
      'downloads the CLI into ~/.pulumi/versions/<version>',
    );
    expect(fact('pulumi.cacheDir').value).toBe('$PULUMI_HOME (default ~/.pulumi)/versions/<version>');
    // stack-outputs.ts recognises a failed first download by the package's own message.
    expect(readFileSync(path.join(ROOT, 'scripts', 'lib', 'stack-outputs.ts'), 'utf8')).toContain(
      '/^Downloading pulumi v/m',
    );
    expect(fact('pulumi.downloadMessage').value?.startsWith('Downloading pulumi v')).toBe(true);
  });
});
