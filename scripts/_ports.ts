import { planCluster } from '../components/plan-cluster';
import { stackSpec } from '../tests/unit/components/hosts/stack-spec';
for (const stack of ['dev', 'staging', 'production']) {
  const plan = planCluster(stackSpec(stack));
  const texts: string[] = [
    ...plan.documents.map((d) => d.content),
    ...plan.platform.containers.flatMap((c) => [...c.args, ...Object.values(c.env), ...c.files.map((f) => f.content)]),
  ];
  const ports = new Map<number, string>();
  const re = /(?:(?:https?|zk|mesos|tcp):\/\/[^\s"',/]*?|[0-9]{1,3}(?:\.[0-9]{1,3}){3}|\}\}|localhost|\.mesos|\$HOST):(\d{2,5})\b|port[\w.]*["']?\s*[:=]\s*["']?(\d{2,5})\b/gi;
  for (const t of texts) for (const m of t.matchAll(re)) { const p = Number(m[1] ?? m[2]); if (!ports.has(p)) ports.set(p, m[0].slice(0, 60)); }
  console.log(stack, [...ports.entries()].sort((a, b) => a[0] - b[0]).map(([p, e]) => `${p} ${e}`).join('\n  '));
}
