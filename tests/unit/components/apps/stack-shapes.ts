import { planCluster } from '../../../../components/plan-cluster';
import { stackSpec } from '../hosts/stack-spec';

export const LIGHTNING_IMAGE = 'registry.example.org/lightning:1.3.0';

/** Every stack shape the guard must serve: all apps, with and without auth, Lightning from the project or a site. */
export function everyShape() {
  const apps = [...new Set([...stackSpec('staging').apps.enabled, 'jenkins', 'lightning'])];
  const lightning = { lightning: { image: LIGHTNING_IMAGE } };
  // The dev laptop trial has one agent: its default apps fit, the others are planned on staging and production.
  return [
    planCluster(stackSpec('dev')),
    planCluster(stackSpec('staging', { 'stars:apps': apps })),
    ...(['staging', 'production'] as const).map((env) =>
      planCluster(stackSpec(env, { 'stars:apps': apps, 'stars:appSettings': lightning })),
    ),
  ];
}
