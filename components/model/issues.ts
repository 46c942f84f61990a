/** One problem in the stack config: where it is and how to fix it. */
export interface SpecIssue {
  readonly path: string;
  readonly message: string;
  /** The host the path points into (`hosts[5]` is a6), so a long host list need not be counted by hand. */
  readonly host?: string;
}

/** Thrown once with every problem found, so a user fixes them all in one round (as aws-cdk does for props). */
export class ClusterSpecError extends Error {
  readonly issues: readonly SpecIssue[];

  constructor(issues: readonly SpecIssue[]) {
    super(formatIssues(issues));
    this.name = 'ClusterSpecError';
    this.issues = issues;
  }
}

export function formatIssues(issues: readonly SpecIssue[]): string {
  const noun = issues.length === 1 ? 'problem' : 'problems';
  return [
    `stack config has ${issues.length} ${noun}:`,
    ...issues.map((i) => `  - ${i.path}${i.host === undefined ? '' : ` (host ${i.host})`}: ${i.message}`),
  ].join('\n');
}

/** Collects issues while a whole document is checked. */
export class IssueList {
  private readonly items: SpecIssue[] = [];

  add(path: string, message: string): void {
    this.items.push({ path, message });
  }

  /** Names the host of every issue under `hosts[<index>]`, from the index → name of the parsed list. */
  nameHosts(names: ReadonlyMap<number, string>): void {
    this.items.forEach((item, k) => {
      const index = /^hosts\[(\d+)\]/.exec(item.path)?.[1];
      const host = index === undefined ? undefined : names.get(Number(index));
      if (host !== undefined && item.host === undefined) this.items[k] = { ...item, host };
    });
  }

  get count(): number {
    return this.items.length;
  }

  all(): readonly SpecIssue[] {
    return [...this.items];
  }

  throwIfAny(): void {
    if (this.items.length > 0) {
      throw new ClusterSpecError(this.items);
    }
  }
}
