import type { CommandIo } from '../../scripts/lib/cli-args';

export type CapturedIo = CommandIo & { readonly stdout: string[]; readonly stderr: string[] };

/** A CommandIo that keeps what a command prints; one entry per message, or per line with `byLine`. */
export function captureIo(byLine = false): CapturedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const keep = (into: string[]) => (l: string) => {
    into.push(...(byLine ? l.split('\n') : [l]));
  };
  return { stdout, stderr, out: keep(stdout), err: keep(stderr) };
}
