/** The text from the line starting with `from` up to (not including) the line starting with `to`. */
export function section(script: string, from: string, to: string): string {
  const lines = script.split('\n');
  const start = lines.findIndex((l) => l.startsWith(from));
  const end = lines.findIndex((l, i) => i > start && l.startsWith(to));
  if (start < 0 || end < 0) throw new Error(`no section ${from} … ${to}`);
  return `${lines.slice(start, end).join('\n')}\n`;
}
