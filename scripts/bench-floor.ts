import { readFileSync } from 'fs';
import * as pulumi from '@pulumi/pulumi';
import type { ShapeEntry } from './lib/floor-shape';

/**
 * The benchmark's floor: a Pulumi program with nothing of Stars in it, only the shape of what Stars registers
 * (scripts/lib/floor-shape.ts, from the file STARS_FLOOR_SHAPE names): plain components and custom resources,
 * with the same input properties as plain strings of the same sizes, under the same parents, with the same
 * dependencies. What the SDK and the
 * mock runtime cost for that many resources is the least any program of this shape can take.
 */
const file = process.env.STARS_FLOOR_SHAPE;
if (file === undefined || file === '') throw new Error('STARS_FLOOR_SHAPE must name a shape file');
const shape = JSON.parse(readFileSync(file, 'utf8')) as ShapeEntry[];
class FloorResource extends pulumi.CustomResource {
  constructor(type: string, name: string, inputs: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
    super(type, name, inputs, opts);
  }
}
class FloorProvider extends pulumi.ProviderResource {
  constructor(pkg: string, name: string, inputs: pulumi.Inputs, opts: pulumi.ResourceOptions) {
    super(pkg, name, inputs, opts);
  }
}
class FloorComponent extends pulumi.ComponentResource {
  constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    this.registerOutputs({});
  }
}

const made: pulumi.Resource[] = [];
for (const e of shape) {
  const opts = {
    ...(e.parent === undefined ? {} : { parent: made[e.parent] }),
    ...(e.dependsOn.length === 0 ? {} : { dependsOn: e.dependsOn.map((i) => made[i]) }),
  };
  // Each input a plain string of the recorded size: the same properties, none of Stars' values or Outputs.
  const inputs = Object.fromEntries(
    Object.entries(e.inputs).map(([k, n]) => [k, 'x'.repeat(Math.max(0, n - 2))]),
  );
  made.push(
    !e.custom
      ? new FloorComponent(e.type, e.name, opts)
      : e.type.startsWith('pulumi:providers:')
        ? new FloorProvider(e.type.slice('pulumi:providers:'.length), e.name, inputs, opts)
        : new FloorResource(e.type, e.name, inputs, opts),
  );
}
