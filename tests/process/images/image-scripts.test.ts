/**
 * The scripts inside the project images, run for real on this machine (as root, like in the image builds and
 * task containers): stars-run hands a sandbox over and drops root; the libmesos closure and selection work on
 * real shared libraries; and the Dockerfiles only copy files their context holds and take exactly the build
 * arguments the planner passes. (The images themselves are not built here: no registry is reachable for their
 * upstream bases.)
 */
import { spawnSync } from 'child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PROJECT_IMAGE_LABEL } from '../../../components/model/catalog';
import { planImages } from '../../../components/platform/plan-images';
import { readImageSources } from '../../../components/platform/image-sources';
import { stackSpec } from '../../unit/components/hosts/stack-spec';
import { reportSkip } from '../../support/skips';

const IMAGES = path.resolve(__dirname, '..', '..', '..', 'images');
const MESOS_SCRIPTS = path.join(IMAGES, 'mesos');
const root = process.getuid?.() === 0;
if (!root) reportSkip('image script tests: they need root (chown, setpriv), as in CI');
const asRoot = root ? describe : describe.skip;

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env } });

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'stars-images-'));
  // Like /mnt/mesos above a task's sandbox: a directory every user may pass through.
  chmodSync(work, 0o755);
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** Files in the build contexts that are data, not scripts. */
const DATA_FILES = ['Dockerfile', 'docker-guard.policy', 'npm-shrinkwrap.json'];

/** Every script in every build context, by the interpreter its first line names. */
function scriptsByShell(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const image of readdirSync(IMAGES)) {
    for (const file of readdirSync(path.join(IMAGES, image))) {
      if (DATA_FILES.includes(file)) continue;
      const full = path.join(IMAGES, image, file);
      const first = readFileSync(full, 'utf8').split('\n')[0];
      const shell =
        /^#!\/(?:bin\/|usr\/bin\/env )(sh|bash)$/.exec(first)?.[1] ?? (file.endsWith('.js') ? 'node' : first);
      (out[shell] ??= []).push(full);
    }
  }
  return out;
}

test('every script in the images is sh, bash or node by its first line, and the shell ones pass shellcheck', () => {
  const byShell = scriptsByShell();
  expect(Object.keys(byShell).sort()).toEqual(['bash', 'node', 'sh']);
  expect(byShell.node.map((f) => path.relative(IMAGES, f))).toEqual(['lightning/registry-only.js']);
  for (const shell of ['sh', 'bash'] as const) {
    const r = run('shellcheck', ['-s', shell, ...byShell[shell]]);
    expect([shell, r.stdout + r.stderr, r.status]).toEqual([shell, '', 0]);
  }
});

test('every script that downloads checks what it got against a pinned checksum or git tree before using it', () => {
  const downloads = Object.values(scriptsByShell())
    .flat()
    .filter((f) => /\bcurl\b[^\n]*-o (?!\/dev\/null)/.test(readFileSync(f, 'utf8')));
  expect(downloads.map((f) => path.relative(IMAGES, f)).sort()).toEqual([
    'blazegraph/fetch-jar.sh',
    'lightning/fetch-source.sh',
    'livy/fetch-livy.sh',
    'mesos-dns/build-mesos-dns.sh',
  ]);
  for (const f of downloads) {
    const text = readFileSync(f, 'utf8');
    expect([path.relative(IMAGES, f), /sha(256|512)sum -c|git write-tree/.test(text)]).toEqual([
      path.relative(IMAGES, f),
      true,
    ]);
  }
});

asRoot('stars-run', () => {
  test('as root it gives the sandbox to UID:GID, then runs the command as that user with no other groups', () => {
    const sandbox = path.join(work, 'sandbox');
    mkdirSync(path.join(sandbox, 'extracted'), { recursive: true, mode: 0o750 });
    writeFileSync(path.join(sandbox, 'extracted', 'livy.conf'), 'x');
    const r = run(
      path.join(MESOS_SCRIPTS, 'stars-run'),
      ['65534:65533', 'sh', '-c', 'id -u; id -g; id -G; touch "$MESOS_SANDBOX/extracted/written"'],
      { MESOS_SANDBOX: sandbox },
    );
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe('65534\n65533\n65533\n');
    for (const p of ['', 'extracted', 'extracted/livy.conf', 'extracted/written']) {
      const st = statSync(path.join(sandbox, p));
      expect([p, st.uid, st.gid]).toEqual([p, 65534, 65533]);
    }
  });

  test.each([
    ['185', 'no group'],
    ['spark:spark', 'names'],
    [':185', 'no user'],
    ['1:2:3', 'three parts'],
    ['185:185;id', 'a shell character'],
  ])('refuses the owner %s (%s) with exit 64 and touches nothing', (owner) => {
    const sandbox = path.join(work, 'sandbox');
    mkdirSync(sandbox);
    const r = run(path.join(MESOS_SCRIPTS, 'stars-run'), [owner, 'true'], { MESOS_SANDBOX: sandbox });
    expect(r.status).toBe(64);
    expect(r.stderr).toBe(`stars-run: ${owner} is not UID:GID (numbers)\n`);
    expect(statSync(sandbox).uid).toBe(0);
  });

  test('not started as root, it runs the command as it is and leaves the sandbox alone', () => {
    const sandbox = path.join(work, 'sandbox');
    mkdirSync(sandbox);
    chownSync(work, 65534, 65534);
    const r = run(
      'setpriv',
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        path.join(MESOS_SCRIPTS, 'stars-run'),
        '185:185',
        'id',
        '-u',
      ],
      { MESOS_SANDBOX: sandbox },
    );
    expect([r.status, r.stdout]).toEqual([0, '65534\n']);
    expect(statSync(sandbox).uid).toBe(0);
  });
});

/** A real library with a dependency on this machine, standing in for libmesos. */
function realLibrary(): string {
  const cache = run('ldconfig', ['-p']).stdout;
  const m = /\s(\/\S+\/libssl\.so\.3)$/m.exec(cache);
  if (m === null) throw new Error('libssl.so.3 not found in the loader cache');
  return m[1];
}

asRoot('libmesos closure and selection', () => {
  test('the closure holds the library as libmesos.so and what it loads, but not the C library or the C++ runtime', () => {
    const closure = path.join(work, 'closure');
    const r = run('sh', [path.join(MESOS_SCRIPTS, 'libmesos-closure.sh'), closure], {
      LIBMESOS: realLibrary(),
    });
    expect([r.status, r.stderr]).toEqual([0, '']);
    const files = readdirSync(closure).filter((f) => f !== 'sasl2');
    expect(files).toContain('libmesos.so');
    expect(files).toContain('libcrypto.so.3');
    expect(files.filter((f) => /^(libc|libm|libdl|libpthread|libstdc\+\+|libgcc_s)\.so/.test(f))).toEqual([]);
    expect(readFileSync(path.join(closure, 'MANIFEST'), 'utf8').split('\n')).toContain('libcrypto.so.3');
  });

  test('selection keeps only libmesos where the image has every library, and takes a library it lacks', () => {
    const closure = path.join(work, 'closure');
    expect(
      run('sh', [path.join(MESOS_SCRIPTS, 'libmesos-closure.sh'), closure], { LIBMESOS: realLibrary() })
        .status,
    ).toBe(0);
    writeFileSync(path.join(closure, 'libstars-absent.so.1'), 'not in this machine’s loader cache');
    const out = path.join(work, 'lib');
    const r = run('sh', [path.join(MESOS_SCRIPTS, 'select-libmesos.sh'), closure, out]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(
      readdirSync(out)
        .filter((f) => f !== 'sasl2')
        .sort(),
    ).toEqual(['MANIFEST', 'libmesos.so', 'libstars-absent.so.1']);
  });

  test('selection fails, naming the problem, when libmesos cannot load even with the closure', () => {
    const closure = path.join(work, 'closure');
    mkdirSync(closure);
    writeFileSync(path.join(closure, 'libmesos.so'), 'not an ELF file');
    const r = run('sh', [path.join(MESOS_SCRIPTS, 'select-libmesos.sh'), closure, path.join(work, 'lib')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'select-libmesos.sh: libmesos does not load in this image with the libraries in',
    );
  });
});

describe('Dockerfiles', () => {
  const plan = planImages(stackSpec('staging'), readImageSources());
  test('every project image is planned for the staging stack, so each Dockerfile is checked here', () => {
    expect(plan.images.map((i) => i.name).sort()).toEqual(
      readdirSync(IMAGES)
        .filter((d) => d !== 'lab-host')
        .sort(),
    );
  });

  test.each(plan.images.map((i) => [i.name, i]))(
    '%s: COPY sources exist and ARGs are exactly the planned build arguments',
    (name, image) => {
      const dockerfile = readFileSync(path.join(IMAGES, name, 'Dockerfile'), 'utf8');
      const args = [...dockerfile.matchAll(/^ARG (\w+)$/gm)].map((m) => m[1]).sort();
      expect(args).toEqual([...Object.keys(image.buildArgs), ...Object.keys(image.fetchArgs)].sort());
      // Downloads happen in the context's scripts, which check them; never in a bare RUN.
      expect(dockerfile).not.toMatch(/^RUN .*\b(curl|wget)\b.*https?:\/\//m);
      expect(dockerfile).not.toMatch(/^ADD /m);
      for (const m of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
        for (const src of m[1].split(' ')) expect(statSync(path.join(IMAGES, name, src)).isFile()).toBe(true);
      }
      // The final stage carries the label the agents' Docker cleanup spares (render-jobs.ts).
      const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
      expect(finalStage).toContain(`\nLABEL ${PROJECT_IMAGE_LABEL}=${name}\n`);
      // Every base is a build argument: the catalog, not the Dockerfile, pins upstream images (scratch is none).
      for (const m of dockerfile.matchAll(/^FROM (\S+)/gm)) expect(m[1]).toMatch(/^(\$\{\w+\}|scratch)$/);
    },
  );
});
