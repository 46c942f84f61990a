/** One problem in the stack config: where it is and how to fix it. */
export interface SpecIssue {
  readonly path: string;
  readonly message: string;
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
    ...issues.map((i) => `  - ${i.path}: ${i.message}`),
  ].join('\n');
}

/** Collects issues while a whole document is checked. */
export class IssueList {
  private readonly items: SpecIssue[] = [];

  add(path: string, message: string): void {
    this.items.push({ path, message });
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
