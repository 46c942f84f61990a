import { spawn } from 'child_process';

export interface ScriptRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a bash script from standard input (`bash -s -- <args>`), as the program's command resources run the gate
 * and drain scripts, and collects both streams. A process killed by a signal counts as exit 1.
 */
export function runBashScript(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ScriptRun> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-s', '--', ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(script);
  });
}
