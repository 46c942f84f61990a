import { readFileSync } from 'fs';
import * as path from 'path';
import {
  renderDaemonJson,
  renderDockerProxyDropIn,
  renderDockerProxyEnv,
} from '../../components/hosts/render-docker';
import { renderPackageSourcesScript } from '../../components/hosts/render-package-sources';
import type { HostSpec, PackageSourcesSpec } from '../../components/model/types';

/** What stars:packageSources writes on a host, against the keys upstream reads. */

const facts = (
  JSON.parse(readFileSync(path.join(__dirname, 'upstream', 'packages', 'package-sources.json'), 'utf8')) as {
    facts: Record<string, { value?: string; values?: string[] }>;
  }
).facts;
const sources: PackageSourcesSpec = {
  dockerEngine: 'vendor',
  proxyLogin: false,
  dockerRepository: 'https://download.docker.com',
  proxy: 'http://proxy.example.org:3128',
  noProxy: [],
  registryMirrors: ['https://hub-cache.example.org'],
};
const host = {
  name: 'm1',
  address: '10.0.0.1',
  roles: ['master'],
  ssh: { user: 'stars', port: 22, privateKey: 'agent', dialTimeoutSeconds: 30 },
  attributes: {},
} as HostSpec;

describe('package sources against upstream', () => {
  test("daemon.json uses only keys the engine reads (both the vendor pin and Debian's docker.io)", () => {
    const json = JSON.parse(renderDaemonJson(sources)) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(facts['docker.daemonJsonKeys'].values);
    expect(Object.keys(json['log-opts'] as object).sort()).toEqual(facts['docker.jsonFileLogOpts'].values);
  });

  test("the engine's drop-in sets exactly the proxy variables its registry transport reads", () => {
    expect(renderDockerProxyDropIn(sources)).toContain('\nEnvironmentFile=');
    const names = [...renderDockerProxyEnv(sources, ['localhost']).matchAll(/^(\w+)=/gm)].map((m) => m[1]);
    expect(names.sort()).toEqual(facts['docker.proxyEnvironment'].values);
  });

  test("apt's proxy keys and dnf's proxy option are the upstream names", () => {
    const script = renderPackageSourcesScript(host, sources, ['localhost']);
    expect(script).toContain(`${facts['apt.httpProxyKey'].value} "http://proxy.example.org:3128";`);
    expect(script).toContain(`${facts['apt.httpsProxyKey'].value} "http://proxy.example.org:3128";`);
    expect(script).toContain(`grep -qxF "${facts['dnf.proxyOption'].value}=$PROXY" /etc/dnf/dnf.conf`);
  });
});
