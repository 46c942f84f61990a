import { parse } from 'yaml';
import { labOptionProblems, planLab, DEFAULT_LAB } from '../../../../../scripts/lib/lab/lab-plan';
import { renderLabStackFile, STACK_FILE_MARKER } from '../../../../../scripts/lib/lab/stack-file';
import { parseClusterSpec } from '../../../../../components/model/parse-cluster-spec';

describe('planLab', () => {
  test('the default lab: 3 masters at .11-.13 and 2 agents at .21-.22, containers and network named after the lab', () => {
    const plan = planLab(DEFAULT_LAB);
    expect(plan).toEqual({
      name: 'stars-lab',
      network: 'stars-lab',
      subnet: '172.31.250.0/24',
      gateway: '172.31.250.1',
      hosts: [
        { name: 'm1', role: 'master', container: 'stars-lab-m1', address: '172.31.250.11' },
        { name: 'm2', role: 'master', container: 'stars-lab-m2', address: '172.31.250.12' },
        { name: 'm3', role: 'master', container: 'stars-lab-m3', address: '172.31.250.13' },
        { name: 'a1', role: 'agent', container: 'stars-lab-a1', address: '172.31.250.21' },
        { name: 'a2', role: 'agent', container: 'stars-lab-a2', address: '172.31.250.22' },
      ],
    });
  });

  test.each([
    [{ masters: 2 }, '--masters 2: use an odd number from 1 to 7 (a ZooKeeper quorum needs a majority)'],
    [{ masters: 9 }, '--masters 9: use an odd number from 1 to 7 (a ZooKeeper quorum needs a majority)'],
    [{ agents: 0 }, '--agents 0: use 1 to 20'],
    [
      { subnet: '8.8.8.0/24' },
      '--subnet "8.8.8.0/24": use a private /24 ending in .0/24, e.g. 172.31.250.0/24',
    ],
    [
      { subnet: '10.1.0.0/16' },
      '--subnet "10.1.0.0/16": use a private /24 ending in .0/24, e.g. 172.31.250.0/24',
    ],
    [{ name: 'Lab One' }, '--name "Lab One": use a lowercase letter, then letters, digits or "-" (up to 24)'],
    [
      { proxy: 'proxy.example.org:3128' },
      '--proxy "proxy.example.org:3128": use an http:// or https:// URL such as http://proxy.example.org:3128',
    ],
    [
      { debianMirror: 'http://m.example.org/debian"; rm -rf /' },
      '--debian-mirror "http://m.example.org/debian\\"; rm -rf /": use an http:// or https:// URL such as http://mirror.example.org/debian',
    ],
  ])('refuses %j naming the flag and the fix', (override, problem) => {
    expect(labOptionProblems({ ...DEFAULT_LAB, ...override })).toEqual([problem]);
  });

  test('every problem is reported at once, before anything is created', () => {
    expect(() => planLab({ ...DEFAULT_LAB, masters: 4, agents: 0 })).toThrow(
      '--masters 4: use an odd number from 1 to 7 (a ZooKeeper quorum needs a majority)\n--agents 0: use 1 to 20',
    );
  });
});

describe('renderLabStackFile', () => {
  const plan = planLab(DEFAULT_LAB);
  const keys = Object.fromEntries(plan.hosts.map((h) => [h.name, `ssh-ed25519 AAAAkey${h.name}`]));
  const text = renderLabStackFile(plan, keys);

  test('starts with the marker down looks for and ends with a newline', () => {
    expect(text.startsWith(STACK_FILE_MARKER)).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
  });

  test('round trip: the file parses back to an onprem staging stack the program accepts, host keys pinned', () => {
    const config = (parse(text) as { config: Record<string, unknown> }).config;
    const raw = Object.fromEntries(
      Object.entries(config).map(([k, v]) => [
        k.replace(/^stars:/, ''),
        typeof v === 'string' ? v : JSON.stringify(v),
      ]),
    );
    const spec = parseClusterSpec(raw, { stack: 'lab', secretKeys: [] });
    expect(spec.mode).toBe('onprem');
    expect(spec.environment).toBe('staging');
    expect(spec.adminCidrs).toEqual(['172.31.250.1/32']);
    expect(spec.packageSources.dockerEngine).toBe('distribution');
    expect(spec.hosts.map((h) => [h.name, h.address, h.ssh.hostKey])).toEqual(
      [...plan.hosts]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((h) => [h.name, h.address, keys[h.name]]),
    );
  });

  test('a host without a key is refused rather than written unpinned', () => {
    expect(() => renderLabStackFile(plan, { m1: 'ssh-ed25519 AAAA' })).toThrow('lab host m2 has no host key');
  });
});
