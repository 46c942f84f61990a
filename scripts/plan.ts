import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'fs';
import * as path from 'path';
import { planCluster } from '../components/plan-cluster';
import { stableJson } from '../components/plan/documents';
import { ClusterSpecError } from '../components/model/issues';
import { parseClusterSpec } from '../components/model/parse-cluster-spec';
import { rawConfigFromEngine } from '../components/model/raw-config';
import { findChromium, GraphRenderError, renderGraphSvg } from './lib/graph-svg';
import { renderMermaid, renderSummary, renderTree, summarize } from './lib/plan-output';
import { boolFlag, optionsHelp, parseArgs, stringFlag, UsageError, type FlagSpec } from './lib/cli-args';
import { runProgram } from './lib/program-runner';
import { loadStackConfig, StackConfigError } from './lib/stack-config';

/** Lists, in an --out directory, the files the last plan wrote there: the only files a new plan may replace. */
export const PLAN_MARKER = '.stars-plan';

class PlanOutError extends Error {}

/**
 * The files a plan may remove from `out` before writing: none for a new or empty directory, the marker's list
 * for a directory a plan wrote, and a refusal for any other non-empty directory (it is not ours to clean).
 */
export function previousPlanFiles(out: string): string[] {
  if (!existsSync(out) || readdirSync(out).length === 0) return [];
  const marker = path.join(out, PLAN_MARKER);
  if (!existsSync(marker))
    throw new PlanOutError(
      `${out} is not empty and was not written by npm run plan (no ${PLAN_MARKER}); choose a new or empty --out directory`,
    );
  const files = readFileSync(marker, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const bad = files.find((f) => path.isAbsolute(f) || f.split('/').includes('..'));
  if (bad !== undefined)
    throw new PlanOutError(`${marker} lists ${JSON.stringify(bad)}, which is not inside ${out}`);
  return files;
}

/**
 * Refuses a plan file whose path inside `out` passes through anything but real directories, or that is itself not
 * a regular file: a link left in an earlier plan's folder would make a write or removal land outside `out`.
 * Checked for every file before anything is removed or written.
 */
export function assertPlainPath(out: string, rel: string): void {
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const full = path.join(out, ...parts.slice(0, i));
    let st;
    try {
      st = lstatSync(full);
    } catch {
      return; // Nothing there yet: it will be created as a plain directory or file.
    }
    const last = i === parts.length;
    if (st.isSymbolicLink() || (last ? !st.isFile() : !st.isDirectory()))
      throw new PlanOutError(
        `${full} is ${st.isSymbolicLink() ? 'a symbolic link' : `not a ${last ? 'regular file' : 'directory'}`}; ` +
          'a plan writes only plain files under --out, so remove it or choose a new --out directory',
      );
  }
}

export const PLAN_FLAGS: Readonly<Record<string, FlagSpec>> = {
  stack: {
    type: 'string',
    value: 'name',
    help: 'the stack to plan: dev, staging, production or your own (required)',
  },
  'config-file': {
    type: 'string',
    value: 'path',
    help: 'the stack file (default Pulumi.<stack>.yaml in the project; a relative path is from where you run npm)',
  },
  out: {
    type: 'string',
    value: 'dir',
    help: 'also write the plan here: a new or empty directory, or one a plan wrote',
  },
  svg: {
    type: 'boolean',
    help: 'also draw graph.mmd as graph.svg (with --out; needs Chromium: $STARS_CHROMIUM or on PATH)',
  },
  help: { type: 'boolean', help: 'show this help' },
};

export const PLAN_USAGE = `usage: npm run plan -- --stack <name> [--config-file <path>] [--out <dir> [--svg]]

Runs the Stars program offline under Pulumi's mock runtime (no CLI, no credentials, no network) and prints
the resource tree and a summary. With --out (a new or empty directory, or one a plan wrote) it also writes resources.json, graph.mmd, outputs.json (the
stack outputs, secrets redacted) and every rendered document (hosts/<host>/..., marathon/<app>.json,
chronos/<job>.json, apps/secret-files.*).

options:
${optionsHelp(PLAN_FLAGS)}`;

interface PlanArgs {
  readonly stack: string;
  readonly configFile?: string;
  readonly out?: string;
  readonly svg: boolean;
}

/** The shared parser (lib/cli-args.ts), so `plan` refuses what `stars` refuses, with the same messages. */
export function parsePlanArgs(argv: readonly string[]): PlanArgs | 'help' {
  const args = parseArgs(argv, PLAN_FLAGS);
  if (boolFlag(args, 'help')) return 'help';
  const extra = [...args.positionals, ...args.rest];
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const stack = stringFlag(args, 'stack');
  if (stack === undefined) throw new UsageError('--stack is required (dev, staging, production or your own)');
  const configFile = stringFlag(args, 'config-file');
  const out = stringFlag(args, 'out');
  const svg = boolFlag(args, 'svg');
  if (svg && out === undefined)
    throw new UsageError('--svg draws into the --out directory; give --out <dir>');
  return {
    stack,
    svg,
    ...(configFile === undefined ? {} : { configFile }),
    ...(out === undefined ? {} : { out }),
  };
}

/**
 * Writes a plan into `out`: first removes what the previous plan listed in its marker (and the directories that
 * leaves empty), never anything else, then writes every file and the new marker.
 */
function writeOut(
  out: string,
  previous: readonly string[],
  p: {
    readonly stack: string;
    readonly run: Awaited<ReturnType<typeof runProgram>>;
    readonly documents: readonly { readonly path: string; readonly content: string }[];
    readonly browser?: string;
  },
): void {
  const files = [
    {
      path: 'resources.json',
      content: stableJson({ stack: p.stack, resources: p.run.resources, outputs: p.run.outputs }),
    },
    { path: 'graph.mmd', content: renderMermaid(p.run.resources) },
    { path: 'outputs.json', content: stableJson(p.run.outputs) },
    ...p.documents,
  ];
  const svg = p.browser === undefined ? [] : ['graph.svg'];
  const written = [...files.map((f) => f.path), ...svg];
  for (const rel of [...previous, ...written, PLAN_MARKER]) assertPlainPath(out, rel);
  for (const rel of previous) {
    rmSync(path.join(out, rel), { force: true });
    // Then its directories, while they are empty (a removed host leaves no empty hosts/<host>/).
    for (let dir = path.dirname(rel); dir !== '.'; dir = path.dirname(dir)) {
      const full = path.join(out, dir);
      if (!existsSync(full) || readdirSync(full).length > 0) break;
      rmdirSync(full);
    }
  }
  for (const f of files) {
    const file = path.join(out, f.path);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, f.content);
  }
  if (p.browser !== undefined)
    renderGraphSvg(path.join(out, 'graph.mmd'), path.join(out, 'graph.svg'), p.browser);
  writeFileSync(path.join(out, PLAN_MARKER), `${written.sort().join('\n')}\n`);
  console.log(
    `wrote resources.json, graph.mmd${p.browser === undefined ? '' : ', graph.svg'}, outputs.json and ${p.documents.length} documents to ${out}`,
  );
}

async function main(argv: readonly string[]): Promise<number> {
  let args: PlanArgs | 'help';
  try {
    args = parsePlanArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`error: ${err.message}\n\n${PLAN_USAGE}`);
      return 64;
    }
    throw err;
  }
  if (args === 'help') {
    console.log(PLAN_USAGE);
    return 0;
  }
  const projectDir = path.resolve(__dirname, '..');
  try {
    // `npm run` starts the script in the project root; relative paths mean the directory the user typed them in.
    const userDir = process.env.INIT_CWD ?? process.cwd();
    const configFile = args.configFile === undefined ? undefined : path.resolve(userDir, args.configFile);
    const stackConfig = loadStackConfig(projectDir, args.stack, configFile);
    // Validate first so bad config fails before the program runs and before anything is written.
    const { raw, secretKeys } = rawConfigFromEngine(stackConfig);
    const spec = parseClusterSpec(raw, { stack: args.stack, secretKeys });
    // A missing browser is known before anything is planned or written.
    const browser = args.svg ? findChromium() : undefined;
    const plan = planCluster(spec);
    const out = args.out === undefined ? undefined : path.resolve(userDir, args.out);
    const previous = out === undefined ? [] : previousPlanFiles(out);
    const run = await runProgram({
      project: stackConfig.project,
      stack: args.stack,
      config: stackConfig.values,
      secretKeys: stackConfig.secretKeys,
    });
    const hosts = spec.hosts.map((h) => h.name);
    const shown = (p: string): string =>
      path.relative(userDir, p).startsWith('..') ? p : path.relative(userDir, p);
    // Say first what was planned, so a plan of the wrong stack or file is seen before its tree.
    console.log(
      `plan of stack ${args.stack}: environment ${spec.environment}, mode ${spec.mode}, config ${shown(stackConfig.file)}\n`,
    );
    process.stdout.write(renderTree(run.resources));
    process.stdout.write(`\n${renderSummary(summarize(run.resources, hosts))}`);
    process.stdout.write(`\nstack outputs (secrets shown as [secret]):\n${stableJson(run.outputs)}`);
    if (out !== undefined)
      writeOut(out, previous, { stack: args.stack, run, documents: plan.documents, browser });
    return 0;
  } catch (err) {
    if (
      err instanceof ClusterSpecError ||
      err instanceof StackConfigError ||
      err instanceof PlanOutError ||
      err instanceof GraphRenderError
    ) {
      console.error(`error: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exit(70);
    },
  );
}
