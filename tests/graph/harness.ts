import * as path from 'path';
import { loadStackConfig } from '../../scripts/lib/stack-config';
import {
  runProgram,
  type ProgramRun,
  type RecordedResource,
  type RunOptions,
} from '../../scripts/lib/program-runner';

export const PROJECT_DIR = path.resolve(__dirname, '..', '..');

/** Loads index.ts in a fresh module registry so each run evaluates the program with its own config. */
function isolatedLoad(programPath: string): Record<string, unknown> {
  let loaded: Record<string, unknown> = {};
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the program under test by path
    loaded = require(programPath) as Record<string, unknown>;
  });
  return loaded;
}

export interface StackRunOptions {
  /** Another entry point (default index.ts), e.g. a compiled bin/pulumi-main.js. */
  readonly programPath?: string;
  /** Overrides that stand for `pulumi config set --secret` values. */
  readonly secretOverrides?: readonly string[];
  /** Answers the program's provider functions first (e.g. the leader look-up of a running cluster). */
  readonly call?: RunOptions['call'];
  /** The stack's outputs from its last update (a previous run's `revealedOutputs`); none: a first update. */
  readonly deployedOutputs?: RunOptions['deployedOutputs'];
}

/** Runs the real program for a committed stack file, optionally with config overrides (`stars:key` → value). */
export async function runStack(
  stack: string,
  overrides: Readonly<Record<string, unknown>> = {},
  options: StackRunOptions = {},
): Promise<ProgramRun> {
  const cfg = loadStackConfig(PROJECT_DIR, stack);
  const values = { ...cfg.values };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete values[k];
    else values[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return runProgram({
    project: cfg.project,
    stack,
    config: values,
    secretKeys: [...cfg.secretKeys, ...(options.secretOverrides ?? [])],
    load: isolatedLoad,
    ...(options.programPath === undefined ? {} : { programPath: options.programPath }),
    ...(options.call === undefined ? {} : { call: options.call }),
    ...(options.deployedOutputs === undefined ? {} : { deployedOutputs: options.deployedOutputs }),
  });
}

/** The same stack run again as an update of what `first` deployed (its outputs read back as the last update's). */
export async function runUpdate(
  stack: string,
  first: ProgramRun,
  overrides: Readonly<Record<string, unknown>> = {},
  options: Omit<StackRunOptions, 'deployedOutputs'> = {},
): Promise<ProgramRun> {
  return runStack(stack, overrides, { ...options, deployedOutputs: first.revealedOutputs });
}

export function byType(run: ProgramRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

export function find(run: ProgramRun, type: string, name: string): RecordedResource {
  const r = run.resources.find((x) => x.type === type && x.name === name);
  if (r === undefined)
    throw new Error(
      `no ${type} named ${name}; have: ${byType(run, type)
        .map((x) => x.name)
        .join(', ')}`,
    );
  return r;
}

export function childrenOf(run: ProgramRun, parent: RecordedResource): RecordedResource[] {
  return run.resources.filter((r) => r.parent === parent.urn);
}
