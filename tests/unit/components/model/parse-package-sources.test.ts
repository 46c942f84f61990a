import { IssueList } from '../../../../components/model/issues';
import {
  DEFAULT_DOCKER_REPOSITORY,
  parsePackageSources,
} from '../../../../components/model/parse-package-sources';

const parse = (value: unknown): { spec: ReturnType<typeof parsePackageSources>; issues: string[] } => {
  const issues = new IssueList();
  const spec = parsePackageSources(issues, value);
  return { spec, issues: issues.all().map((i) => `${i.path}: ${i.message}`) };
};

describe('parsePackageSources', () => {
  test('unset: the vendor engine from download.docker.com, no proxy, no mirrors', () => {
    expect(parse(undefined)).toEqual({
      spec: {
        dockerEngine: 'vendor',
        dockerRepository: DEFAULT_DOCKER_REPOSITORY,
        noProxy: [],
        registryMirrors: [],
      },
      issues: [],
    });
  });

  test('a proxied, mirrored site: every value kept, trailing slashes dropped, noProxy sorted and unique', () => {
    const value = JSON.stringify({
      proxy: 'http://proxy.example.org:3128/',
      noProxy: ['.example.org', '10.0.0.0/8', '.example.org'],
      aptMirror: 'http://mirror.example.org/debian/',
      dnfMirror: 'http://mirror.example.org/rocky',
      dockerEngine: 'distribution',
      registryMirrors: ['https://hub-cache.example.org/'],
    });
    expect(parse(value)).toEqual({
      spec: {
        dockerEngine: 'distribution',
        dockerRepository: DEFAULT_DOCKER_REPOSITORY,
        proxy: 'http://proxy.example.org:3128',
        noProxy: ['.example.org', '10.0.0.0/8'],
        aptMirror: 'http://mirror.example.org/debian',
        dnfMirror: 'http://mirror.example.org/rocky',
        registryMirrors: ['https://hub-cache.example.org'],
      },
      issues: [],
    });
  });

  test.each([
    [
      { proxy: 'proxy.example.org:3128' },
      'packageSources.proxy: "proxy.example.org:3128" is not an http:// or https:// URL such as http://proxy.example.org:3128',
    ],
    [
      { proxy: 'http://p.example.org:3128"; rm -rf /' },
      'packageSources.proxy: "http://p.example.org:3128\\"; rm -rf /" is not an http:// or https:// URL such as http://proxy.example.org:3128',
    ],
    [
      { aptMirror: 'ftp://mirror.example.org/debian' },
      'packageSources.aptMirror: "ftp://mirror.example.org/debian" is not an http:// or https:// URL such as http://mirror.example.org/debian',
    ],
    [
      { proxy: 'http://p:3128', noProxy: ['ok.example.org', 'bad host'] },
      'packageSources.noProxy[1]: "bad host" is not a host, .domain, address or CIDR',
    ],
    [
      { noProxy: ['.example.org'] },
      'packageSources.noProxy: is only used with packageSources.proxy; set proxy or remove noProxy',
    ],
    [{ dockerEngine: 'distro' }, 'packageSources.dockerEngine: "distro" is not one of vendor, distribution'],
    [
      { dockerEngine: 'distribution', dockerRepository: 'https://dl.example.org' },
      "packageSources.dockerRepository: is Docker's own repository, unused with dockerEngine distribution; remove it",
    ],
    [
      { registryMirrors: ['hub-cache'] },
      'packageSources.registryMirrors[0]: "hub-cache" is not an http:// or https:// URL such as https://registry-mirror.example.org',
    ],
    [
      { proxyUrl: 'http://p:3128' },
      'packageSources.proxyUrl: unknown key; known keys: proxy, noProxy, aptMirror, dnfMirror, dockerRepository, registryMirrors, dockerEngine',
    ],
  ])('refuses %j naming the field and the fix', (value, message) => {
    expect(parse(JSON.stringify(value)).issues).toEqual([message]);
  });
});
