import {
  renderDaemonJson,
  renderDockerProxyDropIn,
  renderDockerProxyEnv,
  renderDockerScript,
} from '../../../../components/hosts/render-docker';
import { DEFAULT_DOCKER_REPOSITORY } from '../../../../components/model/parse-package-sources';
import type { HostSpec, PackageSourcesSpec } from '../../../../components/model/types';
import { section } from '../../../support/script-section';

const master: HostSpec = {
  name: 'm1',
  address: '10.20.1.11',
  roles: ['master'],
  zookeeperId: 1,
  ssh: { user: 'stars', port: 22, privateKey: 'agent', dialTimeoutSeconds: 30 },
  attributes: {},
};
const vendor: PackageSourcesSpec = {
  dockerEngine: 'vendor',
  proxyLogin: false,
  dockerRepository: DEFAULT_DOCKER_REPOSITORY,
  noProxy: [],
  registryMirrors: [],
};
const NO_PROXY = ['localhost', '127.0.0.1', '::1', '.mesos', '10.20.1.11'];

describe('renderDockerScript, vendor engine', () => {
  const script = renderDockerScript(master, '27.5.1', vendor, NO_PROXY, 'stars');

  test('pins the catalog version and names the repository once', () => {
    expect(script).toContain("\nDOCKER_VERSION='27.5.1'\nDOCKER_REPO='https://download.docker.com'\n");
  });

  test("Debian/Ubuntu: installs the exact docker-ce build from Docker's apt repository, only when another is installed, and holds it", () => {
    expect(section(script, '  debian)', '  rhel)')).toBe(`  debian)
    # shellcheck disable=SC2016 # \${Version} is a dpkg-query field, not a shell variable
    installed="$(dpkg-query -W -f='\${Version}' docker-ce 2>/dev/null || true)"
    wanted="5:$DOCKER_VERSION-1~$OS_ID.$OS_VERSION~$OS_CODENAME"
    if [ "$installed" != "$wanted" ]; then
      changed "installing docker-ce $wanted (found: \${installed:-none})"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -q
      apt-get install -y -q ca-certificates curl
      install -d -m 0755 /etc/apt/keyrings
      if [ ! -s /etc/apt/keyrings/docker.asc ]; then
        curl -fsSL "$DOCKER_REPO/linux/$OS_ID/gpg" -o /etc/apt/keyrings/docker.asc
        chmod a+r /etc/apt/keyrings/docker.asc
      fi
      repo="deb [arch=$(dpkg --print-architecture) signed-by=/etc/apt/keyrings/docker.asc] $DOCKER_REPO/linux/$OS_ID $OS_CODENAME stable"
      write_if_changed /etc/apt/sources.list.d/docker.list "$repo" || true
      apt-get update -q
      apt-mark unhold docker-ce docker-ce-cli >/dev/null 2>&1 || true
      apt-get install -y -q --allow-downgrades "docker-ce=$wanted" "docker-ce-cli=$wanted" containerd.io
      apt-mark hold docker-ce docker-ce-cli >/dev/null
    fi
    ;;
`);
  });

  test("Rocky/Alma 9: installs the exact el9 build from Docker's dnf repository (or its mirror), only when another is installed, and version-locks it", () => {
    expect(section(script, '  rhel)', 'esac')).toBe(`  rhel)
    installed="$(rpm -q --qf '%{VERSION}' docker-ce 2>/dev/null || true)"
    if [ "$installed" != "$DOCKER_VERSION" ]; then
      changed "installing docker-ce $DOCKER_VERSION (found: \${installed:-none})"
      dnf install -y -q dnf-plugins-core python3-dnf-plugin-versionlock
      if [ ! -f /etc/yum.repos.d/docker-ce.repo ]; then
        dnf config-manager --add-repo "$DOCKER_REPO/linux/centos/docker-ce.repo"
        # The repository file names download.docker.com; a mirror of it serves the same paths.
        sed -i "s#https://download.docker.com#$DOCKER_REPO#g" /etc/yum.repos.d/docker-ce.repo
      fi
      dnf versionlock delete docker-ce docker-ce-cli >/dev/null 2>&1 || true
      dnf install -y -q --allowerasing "docker-ce-$DOCKER_VERSION-1.el9" "docker-ce-cli-$DOCKER_VERSION-1.el9" containerd.io
      dnf versionlock add docker-ce docker-ce-cli >/dev/null
    fi
    ;;
`);
  });

  test('starts a stopped engine, restarts it only when its settings changed, adds the SSH user to the docker group once, and verifies the pinned version', () => {
    expect(section(script, 'if ! systemctl is-enabled --quiet docker', 'running='))
      .toBe(`if ! systemctl is-enabled --quiet docker || ! systemctl is-active --quiet docker; then
  systemctl enable --now docker
  changed "started the Docker engine"
elif [ "$daemon_changed" = yes ]; then
  systemctl restart docker
  changed "restarted the Docker engine for its new settings"
fi

# The Docker provider reaches the engine over SSH as this user, so it must be in the docker group.
DOCKER_USER='stars'
if id "$DOCKER_USER" >/dev/null 2>&1 && ! id -nG "$DOCKER_USER" | grep -qw docker; then
  usermod -aG docker "$DOCKER_USER"
  changed "added $DOCKER_USER to the docker group"
fi

`);
    expect(
      script.endsWith(`running="$(docker version --format '{{.Server.Version}}')"
[ "$running" = "$DOCKER_VERSION" ] || fail "Docker engine $running is running but $DOCKER_VERSION is pinned; check the package hold"
log "Docker engine $running is running"
`),
    ).toBe(true);
  });

  test('without an SSH user (cloud-init only) no group change is rendered', () => {
    expect(renderDockerScript(master, '27.5.1', vendor, NO_PROXY)).not.toContain('usermod');
  });

  test('a mirror of download.docker.com replaces it in DOCKER_REPO', () => {
    const mirrored = renderDockerScript(
      master,
      '27.5.1',
      { ...vendor, dockerRepository: 'https://dl.example.org/docker' },
      NO_PROXY,
    );
    expect(mirrored).toContain("\nDOCKER_REPO='https://dl.example.org/docker'\n");
  });
});

describe('renderDockerScript, distribution engine', () => {
  const script = renderDockerScript(
    master,
    '27.5.1',
    { ...vendor, dockerEngine: 'distribution' },
    NO_PROXY,
    'stars',
  );

  test('Debian/Ubuntu install docker.io only when it is missing; Rocky/Alma, which ship none, fail naming the fix', () => {
    expect(section(script, 'case "$OS_FAMILY" in', '# Bounded container logs')).toBe(`case "$OS_FAMILY" in
  debian)
    if ! dpkg-query -W -f='\${Status}' docker.io 2>/dev/null | grep -q 'ok installed'; then
      changed "installing docker.io from the distribution"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -q
      apt-get install -y -q docker.io
    fi
    ;;
  rhel)
    fail "$OS_ID ships no Docker engine package; set stars:packageSources.dockerEngine to vendor (Docker's repository, or a mirror of it in dockerRepository)"
    ;;
esac

`);
  });

  test('reports the running version instead of holding it to the vendor pin', () => {
    expect(script).not.toContain('docker-ce');
    expect(
      script.endsWith(
        `log "Docker engine $running (the distribution's package; $DOCKER_VERSION is what the vendor engine would pin) is running"\n`,
      ),
    ).toBe(true);
  });
});

describe('daemon.json and the proxy drop-in', () => {
  test('a proxy login is never in the rendered files: its placeholder goes into the root-only environment file', () => {
    expect(
      renderDockerProxyEnv({ ...vendor, proxy: 'http://proxy.example.org:3128', proxyLogin: true }, [
        'localhost',
      ]),
    ).toBe(
      'HTTP_PROXY=http://{{secret:proxy-credentials}}@proxy.example.org:3128\n' +
        'HTTPS_PROXY=http://{{secret:proxy-credentials}}@proxy.example.org:3128\n' +
        'NO_PROXY=localhost',
    );
    const script = renderDockerScript(
      master,
      '27.5.1',
      { ...vendor, proxy: 'http://proxy.example.org:3128', proxyLogin: true },
      NO_PROXY,
    );
    expect(script).toContain('if (umask 077 && write_if_changed "$PROXY_ENV_FILE" "$PROXY_ENV"); then');
  });

  test.each([
    [
      'no registry mirrors',
      [],
      '{\n  "live-restore": true,\n  "log-driver": "json-file",\n  "log-opts": {\n    "max-file": "5",\n    "max-size": "50m"\n  }\n}',
    ],
    [
      'one registry mirror',
      ['https://hub-cache.example.org'],
      '{\n  "live-restore": true,\n  "log-driver": "json-file",\n  "log-opts": {\n    "max-file": "5",\n    "max-size": "50m"\n  },\n  "registry-mirrors": [\n    "https://hub-cache.example.org"\n  ]\n}',
    ],
  ])('daemon.json with %s', (_, registryMirrors, expected) => {
    expect(renderDaemonJson({ ...vendor, registryMirrors })).toBe(expected);
  });

  test('without a proxy there is no drop-in (the script removes an old one)', () => {
    expect([renderDockerProxyDropIn(vendor), renderDockerProxyEnv(vendor, NO_PROXY)]).toEqual(['', '']);
    expect(renderDockerScript(master, '27.5.1', vendor, NO_PROXY)).toContain("\nPROXY_DROP_IN=''\n");
  });

  test("with a proxy the engine's environment file carries HTTP_PROXY, HTTPS_PROXY and NO_PROXY, and the drop-in names it", () => {
    const proxied = { ...vendor, proxy: 'http://proxy.example.org:3128' };
    expect(renderDockerProxyEnv(proxied, NO_PROXY)).toBe(
      'HTTP_PROXY=http://proxy.example.org:3128\n' +
        'HTTPS_PROXY=http://proxy.example.org:3128\n' +
        'NO_PROXY=localhost,127.0.0.1,::1,.mesos,10.20.1.11',
    );
    expect(renderDockerProxyDropIn(proxied)).toBe(
      '# Managed by Stars (stars:packageSources.proxy).\n[Service]\nEnvironmentFile=/etc/stars/docker-proxy.env',
    );
  });
});
