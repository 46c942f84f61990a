import { readFileSync } from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

/** The PR workflow runs untrusted code: secrets only behind an approved environment, never in install scripts. */
interface Job {
  readonly environment?: string;
  readonly if?: string;
  readonly permissions?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly steps: readonly {
    readonly run?: string;
    readonly env?: Record<string, string>;
    readonly with?: Record<string, unknown>;
  }[];
}
const workflow = parse(
  readFileSync(path.resolve(__dirname, '..', '..', '..', '.github', 'workflows', 'pull-request.yml'), 'utf8'),
) as { permissions: Record<string, string>; jobs: Record<string, Job> };
const usesSecrets = (job: Job): boolean => JSON.stringify(job).includes('secrets.');

describe('pull-request workflow', () => {
  test('only the preview job touches secrets, and only behind the reviewed staging-preview environment', () => {
    expect(
      Object.entries(workflow.jobs)
        .filter(([, j]) => usesSecrets(j))
        .map(([name]) => name),
    ).toEqual(['preview']);
    expect(workflow.jobs.preview.environment).toBe('staging-preview');
    expect(workflow.jobs.preview.if).toBe(
      'github.event.pull_request.head.repo.full_name == github.repository',
    );
  });

  test('the workflow reads by default; only the preview job may write the PR comment', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.preview.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  });

  test('where secrets are, dependencies install without their install scripts', () => {
    const installs = workflow.jobs.preview.steps.map((s) => s.run ?? '').filter((r) => r.includes('npm ci'));
    expect(installs).toEqual(['npm ci --ignore-scripts --no-audit --no-fund']);
  });

  test('every pull request, forks included, gets the offline plan without secrets', () => {
    const plan = workflow.jobs.plan;
    expect(plan.if).toBeUndefined();
    expect(usesSecrets(plan)).toBe(false);
    expect(plan.steps.map((s) => s.run).filter(Boolean)).toEqual([
      'npm ci --ignore-scripts --no-audit --no-fund',
      'npm run plan -- --stack staging --out plan-staging',
    ]);
  });
});
