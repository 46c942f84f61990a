import { CONFIG_KEYS, NAMESPACE, type ConfigKey } from './config-keys';

/**
 * Node options the Pulumi CLI runs the program with (and `npm run bench` measures with). A program registering
 * thousands of resources keeps nearly everything it allocates, so a larger young generation means fewer
 * scavenges copying the same survivors (about a fifth less scavenge time measured at 600 agents).
 */
export const NODE_ARGS: readonly string[] = ['--max-semi-space-size=64'];

/**
 * Renders Pulumi.yaml from the config-key table, so the declared keys, types and defaults cannot drift from
 * what the program reads. Regenerate with `npm run render:pulumi-yaml`; a unit test compares the file.
 */
export function renderPulumiYaml(): string {
  const lines = [
    '# Generated from components/model/config-keys.ts by `npm run render:pulumi-yaml`; edit the table, not this file.',
    'name: stars',
    'description: A reproducible Mesos data-science platform (ZooKeeper, Mesos, Marathon, Chronos, Mesos-DNS, Spark and notebooks).',
    // The compiled program (`npm run build`): ts-node would map every stack trace the SDK records through
    // source maps, several times slower at scale; pulumi-main.ts refuses a build older than its sources.
    'main: bin/pulumi-main.js',
    'runtime:',
    '  name: nodejs',
    '  options:',
    '    typescript: false',
    `    nodeargs: ${JSON.stringify(NODE_ARGS.join(' '))}`,
    'config:',
  ];
  for (const key of CONFIG_KEYS) lines.push(...renderKey(key));
  return `${lines.join('\n')}\n`;
}

function renderKey(k: ConfigKey): string[] {
  const name = `${NAMESPACE}:${k.key}`;
  if (k.type === 'object') {
    // Structured keys are documented here and validated by the parser (config-keys.ts says why).
    return [`  # ${name} (object): ${k.description}`];
  }
  const out = [`  ${name}:`];
  if (k.type === 'string[]') out.push('    type: array', '    items:', '      type: string');
  else out.push(`    type: ${k.type}`);
  out.push(`    description: ${JSON.stringify(k.description)}`);
  // Optional keys get an empty default, which the reader takes as unset (raw-config.ts): the engine makes a
  // declared key whose default is nil required (tests/contract/engine), and `default: null` is nil.
  out.push(`    default: ${JSON.stringify(k.default ?? '')}`);
  return out;
}
