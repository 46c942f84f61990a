import { IssueList } from '../../../../components/model/issues';
import {
  DEFAULT_DOCKER_REPOSITORY,
  parsePackageSources,
  proxyCredentialsProblem,
} from '../../../../components/model/parse-package-sources';

const parse = (
  value: unknown,
  login = false,
): { spec: ReturnType<typeof parsePackageSources>; issues: string[] } => {
  const issues = new IssueList();
  const spec = parsePackageSources(issues, value, login);
  return { spec, issues: issues.all().map((i) => `${i.path}: ${i.message}`) };
};

describe('parsePackageSources', () => {
  test('unset: the vendor engine from download.docker.com, no proxy, no mirrors', () => {
    expect(parse(undefined)).toEqual({
      spec: {
        dockerEngine: 'vendor',
        proxyLogin: false,
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
        proxyLogin: false,
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
      { proxy: 'http://ops:s3cret@proxy.example.org:3128' },
      "packageSources.proxy: carries a login, which would be kept in plain text in the config, the state, plans and the hosts' logs; give the proxy without it and set the login with `pulumi config set --secret stars:proxyCredentials user:password`",
    ],
    [
      { aptMirror: 'https://ops:pw@mirror.example.org/debian' },
      'packageSources.aptMirror: carries a login, which would be kept in plain text in the config, the state and on every host; use a source that admits the cluster without one',
    ],
    [
      { dockerRepository: 'http://docker-mirror.example.org' },
      'packageSources.dockerRepository: "http://docker-mirror.example.org" is plain HTTP, and what comes from it is not signed by anything the hosts check; use https:// such as https://docker-mirror.example.org',
    ],
    [
      { registryMirrors: ['http://hub-cache.example.org'] },
      'packageSources.registryMirrors[0]: "http://hub-cache.example.org" is plain HTTP, and what comes from it is not signed by anything the hosts check; use https:// such as https://registry-mirror.example.org',
    ],
    [
      { proxyUrl: 'http://p:3128' },
      'packageSources.proxyUrl: unknown key; known keys: proxy, noProxy, aptMirror, dnfMirror, dockerRepository, registryMirrors, dockerEngine, downloadMirror, pypiIndex, npmRegistry',
    ],
  ])('refuses %j naming the field and the fix', (value, message) => {
    expect(parse(JSON.stringify(value)).issues).toEqual([message]);
  });
});

describe('the proxy login (secret stars:proxyCredentials)', () => {
  test('with the secret set and a proxy, the spec says only that the proxy takes a login', () => {
    const { spec, issues } = parse(JSON.stringify({ proxy: 'http://proxy.example.org:3128' }), true);
    expect([spec.proxy, spec.proxyLogin, issues]).toEqual(['http://proxy.example.org:3128', true, []]);
  });

  test('the secret without a proxy is refused', () => {
    expect(parse(undefined, true).issues).toEqual([
      'proxyCredentials: is the login of packageSources.proxy, which is not set; set the proxy or remove the key',
    ]);
    expect(parse(JSON.stringify({ aptMirror: 'http://m.example.org/debian' }), true).issues).toEqual([
      'proxyCredentials: is the login of packageSources.proxy, which is not set; set the proxy or remove the key',
    ]);
  });

  test.each([
    ['ops:s3cret', undefined],
    ['ops:p%40ss%27word', undefined],
    ["ops:it's", 'refused'],
    ['ops', 'refused'],
    ['ops:pw\nHTTP_PROXY=x', 'refused'],
  ])('the login %j: %s', (value, refused) => {
    const problem = proxyCredentialsProblem(value);
    expect(problem === undefined ? undefined : 'refused').toBe(refused);
    if (problem !== undefined) expect(problem).not.toContain(value);
  });
});
