import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { readmeWithMirrorList } from './lib/readme-mirror-list';

// README "Air-gapped install": the mirror list of the staging example, regenerated from the catalog.
const readme = path.join(__dirname, '..', 'README.md');
writeFileSync(readme, readmeWithMirrorList(readFileSync(readme, 'utf8')));
console.log('wrote the mirror list into README.md');
