import { writeFileSync } from 'fs';
import * as path from 'path';
import { renderPulumiYaml } from '../components/model/render-pulumi-yaml';

writeFileSync(path.join(__dirname, '..', 'Pulumi.yaml'), renderPulumiYaml());
console.log('wrote Pulumi.yaml');
