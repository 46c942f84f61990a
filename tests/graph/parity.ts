import * as pulumi from '@pulumi/pulumi';
import { runProgram, type ProgramRun } from '../../scripts/lib/program-runner';

/**
 * For the lean resource classes (PlatformContainer, RemoteCommand, LocalCommand, HostImage): registers resources
 * through `register` under the mock runtime and keeps, per resource name, what the engine receives beyond the
 * recorded resource, so a lean class can be compared field by field with the SDK class it stands for.
 */
export interface Extra {
  readonly version: string;
  readonly additionalSecretOutputs: string[];
  readonly replaceOnChanges: string[];
}

interface RegisterRequest {
  getName(): string;
  getVersion(): string;
  getAdditionalsecretoutputsList(): string[];
  getReplaceonchangesList(): string[];
}

export async function registerForParity(
  stack: string,
  register: () => void,
): Promise<{ run: ProgramRun; extra: Map<string, Extra> }> {
  const extra = new Map<string, Extra>();
  const run = await runProgram({
    stack,
    config: {},
    load: () => {
      const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(req: RegisterRequest, cb: unknown): unknown;
      };
      const original = monitor.registerResource.bind(monitor);
      monitor.registerResource = (req: RegisterRequest, cb: unknown) => {
        extra.set(req.getName(), {
          version: req.getVersion(),
          additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
          replaceOnChanges: req.getReplaceonchangesList(),
        });
        return original(req, cb);
      };
      register();
      return {};
    },
  });
  return { run, extra };
}

/** One registration as the engine sees it: the recorded resource's fields and the extra ones, for toEqual. */
export function registration(run: ProgramRun, extra: ReadonlyMap<string, Extra>, name: string) {
  const r = run.resources.find((x) => x.name === name);
  if (r === undefined) throw new Error(`no resource named ${name}`);
  const { type, custom, provider, dependencies, deleteBeforeReplace, inputs, revealed } = r;
  return { type, custom, provider, dependencies, deleteBeforeReplace, inputs, revealed, ...extra.get(name) };
}
