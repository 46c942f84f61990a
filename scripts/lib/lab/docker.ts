import { spawn } from 'child_process';

/**
 * The docker CLI, run without a shell: every argument is one argv word, so no name, address or path can be
 * read as shell syntax. The CLI (not the Engine API) is used so DOCKER_HOST, contexts and TLS settings apply
 * exactly as they do for the operator's own docker commands.
 */

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(
  command: string,
  args: readonly string[],
  options: { readonly input?: string; readonly timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (err) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: `${stderr}${err.message}` });
    });
    child.on('close', (code) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({ code: code ?? 137, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

export const docker = (
  args: readonly string[],
  options?: { readonly input?: string; readonly timeoutMs?: number },
): Promise<Run> => run('docker', args, options);

/** Runs docker and returns its trimmed stdout, or throws with what it printed and `what` it was doing. */
export async function dockerOk(
  what: string,
  args: readonly string[],
  options?: { readonly input?: string; readonly timeoutMs?: number },
): Promise<string> {
  const r = await docker(args, options);
  if (r.code !== 0) throw new DockerError(`${what}: docker ${args[0]} exited ${r.code}: ${lastLine(r)}`);
  return r.stdout.trim();
}

export class DockerError extends Error {}

export function lastLine(r: Run): string {
  // docker's own hint ("Run 'docker run --help'") follows the error that matters.
  const lines = `${r.stderr}\n${r.stdout}`
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith("Run 'docker"));
  return lines.at(-1) ?? '(no output)';
}
