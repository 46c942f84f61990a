import { proxyUrl, renderPackageSourcesScript } from '../../../../components/hosts/render-package-sources';
import { stackSpec } from './stack-spec';
import { filledBootstrap } from '../../../../components/hosts/bootstrap-secrets';

describe('filling the bootstrap secrets', () => {
  test('a text without placeholders is passed on as it is, with nothing to re-run on', () => {
    expect(filledBootstrap('echo hi\n', undefined, 'm1')).toEqual({ text: 'echo hi\n', rerun: [] });
  });

  test('a proxy login placeholder without stars:proxyCredentials names the key and the fix', () => {
    expect(() => filledBootstrap('x={{secret:proxy-credentials}}', {}, 'm1')).toThrow(
      'host m1: packageSources.proxy takes a login, but stars:proxyCredentials is not set; set it with `pulumi config set --secret stars:proxyCredentials user:password`',
    );
  });

  test('a placeholder of a secret the hosts layer does not know is refused', () => {
    expect(() => filledBootstrap('x={{secret:other}}', {}, 'm1')).toThrow(
      'host m1: the bootstrap refers to unknown secrets other',
    );
  });
});

describe('the proxy login in the rendered scripts (what plans show)', () => {
  const sources = {
    dockerEngine: 'vendor' as const,
    proxyLogin: true,
    proxy: 'http://proxy.example.org:3128',
    dockerRepository: 'https://download.docker.com',
    noProxy: [],
    registryMirrors: [],
  };
  const script = renderPackageSourcesScript(stackSpec('staging').hosts[0], sources, ['localhost']);

  test('the placeholder stands where the login goes; logs name the proxy without it', () => {
    expect(proxyUrl(sources)).toBe('http://{{secret:proxy-credentials}}@proxy.example.org:3128');
    expect(script).toContain("PROXY_SHOWN='http://proxy.example.org:3128'");
    expect(script).toContain('log "package sources: proxy ${PROXY_SHOWN:-none}');
  });

  test('the files that hold it are written root-only, and dnf.conf is made root-only', () => {
    expect(script).toMatch(/umask 077\nmanaged_file \/etc\/stars\/proxy\.env /);
    expect(script).toMatch(/umask 077\n\s+managed_file \/etc\/apt\/apt\.conf\.d\/90stars-proxy /);
    expect(script).toContain('chmod 0600 /etc/dnf/dnf.conf');
  });
});
