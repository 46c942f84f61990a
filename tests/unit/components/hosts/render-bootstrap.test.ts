import { renderMetadataGuardScript } from '../../../../components/hosts/render-metadata-guard';
import { spawnSync } from 'child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import {
  OS_DETECTION,
  hostDirectories,
  renderLocalCheckScript,
  renderPreflightScript,
  renderSystemScript,
  renderVarVolumeScript,
  shellQuote,
} from '../../../../components/hosts/render-bootstrap';
import { renderDockerScript } from '../../../../components/hosts/render-docker';
import { renderPackageSourcesScript } from '../../../../components/hosts/render-package-sources';
import type { HostSpec, PackageSourcesSpec } from '../../../../components/model/types';
import { section } from '../../../support/script-section';

const VENDOR: PackageSourcesSpec = {
  dockerEngine: 'vendor',
  proxyLogin: false,
  dockerRepository: 'https://download.docker.com',
  noProxy: [],
  registryMirrors: [],
};
const SITE: PackageSourcesSpec = {
  dockerEngine: 'distribution',
  proxyLogin: false,
  dockerRepository: 'https://download.docker.com',
  proxy: 'http://proxy.example.org:3128',
  noProxy: ['.example.org'],
  aptMirror: 'http://mirror.example.org/debian',
  dnfMirror: 'http://mirror.example.org/rocky',
  registryMirrors: ['https://hub-cache.example.org'],
};
const NO_PROXY = ['localhost', '127.0.0.1', '::1', '.mesos', '10.20.2.21', '.example.org'];

const ssh = { user: 'stars', port: 22, privateKey: 'agent', dialTimeoutSeconds: 30 } as const;
const master: HostSpec = {
  name: 'm1',
  address: '10.20.1.11',
  roles: ['master'],
  zookeeperId: 1,
  ssh,
  attributes: {},
};
const agent: HostSpec = {
  name: 'a1',
  address: '10.20.2.21',
  roles: ['agent'],
  ssh,
  attributes: { rack: 'r1' },
};

function bash(
  script: string,
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const HELPERS = `set -euo pipefail
HOST_NAME=m1
log() { printf 'stars bootstrap [%s] %s\\n' "$HOST_NAME" "$*"; }
fail() { printf 'stars bootstrap [%s] ERROR: %s\\n' "$HOST_NAME" "$*" >&2; exit 1; }
changed() { log "$@"; }
`;

describe('renderPreflightScript', () => {
  test('renders the exact preflight script for a host (snapshot, reviewed with the change)', () => {
    expect(renderPreflightScript(master)).toMatchSnapshot();
  });

  describe('the /var free-space check, run against a stubbed df', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'stars-df-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    test.each([
      [12, 1, 'stars bootstrap [m1] ERROR: host m1: /var has 12 GB free but needs at least 50 GB'],
      [49, 1, 'host m1: /var has 49 GB free but needs at least 50 GB'],
      [50, 0, ''],
      [200, 0, ''],
    ])('%i GB free exits %i; a failure names the host', (gb, status, message) => {
      const df = path.join(dir, 'df');
      writeFileSync(
        df,
        `#!/bin/sh\necho 'Filesystem 1024-blocks Used Available Capacity Mounted on'\necho '/dev/sdb 999999999 0 ${gb * 1048576} 1% /var'\n`,
      );
      chmodSync(df, 0o755);
      const preflight = renderPreflightScript(master);
      const check = preflight.slice(preflight.indexOf('\nVAR_MIN_FREE_GB='));
      const r = bash(`${HELPERS}${check}`, { PATH: `${dir}:${process.env.PATH ?? ''}` });
      expect(r.status).toBe(status);
      if (status === 0)
        expect(r.stdout).toBe(`stars bootstrap [m1] /var has ${gb} GB free (at least 50 GB needed)\n`);
      else expect(r.stderr).toContain(message);
    });
  });
});

describe('OS detection (run against stubbed os-release files)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'stars-os-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const detect = (osRelease: string): ReturnType<typeof bash> => {
    const file = path.join(dir, 'os-release');
    writeFileSync(file, osRelease);
    const snippet = OS_DETECTION.split('/etc/os-release').join(file);
    return bash(`${HELPERS}${snippet}\necho "$OS_FAMILY|$OS_CODENAME"`);
  };

  test.each([
    ['Debian 12', 'ID=debian\nVERSION_ID="12"\n', 'debian|bookworm'],
    ['Ubuntu 22.04', 'ID=ubuntu\nVERSION_ID="22.04"\nID_LIKE=debian\n', 'debian|jammy'],
    ['Ubuntu 24.04', 'ID=ubuntu\nVERSION_ID="24.04"\n', 'debian|noble'],
    ['Rocky Linux 9.4', 'ID="rocky"\nVERSION_ID="9.4"\nID_LIKE="rhel centos fedora"\n', 'rhel|'],
    ['AlmaLinux 9.5', 'ID="almalinux"\nVERSION_ID="9.5"\n', 'rhel|'],
  ])('%s is detected as %s', (_name, osRelease, expected) => {
    const r = detect(osRelease);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').pop()).toBe(expected);
  });

  test.each([
    ['Debian 11', 'ID=debian\nVERSION_ID="11"\n', 'unsupported operating system debian 11'],
    ['Ubuntu 20.04', 'ID=ubuntu\nVERSION_ID="20.04"\n', 'unsupported operating system ubuntu 20.04'],
    ['CentOS 7', 'ID="centos"\nVERSION_ID="7"\n', 'unsupported operating system centos 7'],
    ['Rocky Linux 8', 'ID="rocky"\nVERSION_ID="8.9"\n', 'unsupported operating system rocky 8.9'],
  ])('%s is refused with a clear error listing the supported systems', (_name, osRelease, message) => {
    const r = detect(osRelease);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `stars bootstrap [m1] ERROR: ${message}; supported systems: Debian 12, Ubuntu 22.04/24.04, Rocky Linux 9, AlmaLinux 9\n`,
    );
  });
});

describe('renderSystemScript', () => {
  test("Debian/Ubuntu and Rocky/Alma: installs chrony only when missing and enables the family's service", () => {
    expect(section(renderSystemScript(master), 'case "$OS_FAMILY" in', 'log "time sync'))
      .toBe(`case "$OS_FAMILY" in
  debian)
    CHRONY_SERVICE=chrony
    if ! dpkg-query -W chrony >/dev/null 2>&1; then
      changed "installing chrony"
      apt-get update -q
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q chrony
    fi
    ;;
  rhel)
    CHRONY_SERVICE=chronyd
    if ! rpm -q chrony >/dev/null 2>&1; then
      changed "installing chrony"
      dnf install -y -q chrony
    fi
    ;;
esac
# In a container the clock is its host's: chrony is enabled, and its unit runs only where it may set the clock.
IN_CONTAINER=no
if systemd-detect-virt --container --quiet; then IN_CONTAINER=yes; fi
if ! systemctl is-enabled --quiet "$CHRONY_SERVICE"; then
  systemctl enable --now "$CHRONY_SERVICE"
  changed "enabled $CHRONY_SERVICE"
elif [ "$IN_CONTAINER" = no ] && ! systemctl is-active --quiet "$CHRONY_SERVICE"; then
  systemctl start "$CHRONY_SERVICE"
  changed "started $CHRONY_SERVICE"
fi
`);
  });

  test('sets only the values that differ, never lowers a floor, warns in a container where /proc/sys is not writable, and writes the file only when it differs', () => {
    expect(section(renderSystemScript(master), "SYSCTL_WANTED='", 'for dir in'))
      .toBe(`SYSCTL_WANTED='vm.swappiness exact 1
net.ipv4.ip_forward exact 1
fs.inotify.max_user_watches min 524288
fs.inotify.max_user_instances min 8192
fs.file-max min 1048576
net.ipv4.ip_local_port_range exact 32768 60999'
SYSCTL_CONF='# Managed by Stars (components/hosts/render-bootstrap.ts); local edits are overwritten.'
while read -r key how value; do
  # Two-number settings print tab-separated; compare them as the table writes them.
  current="$(sysctl -n "$key" | tr -s '[:space:]' ' ')"
  current="\${current% }"
  if [ "$how" = min ] && [ "$current" -gt "$value" ]; then value="$current"; fi
  SYSCTL_CONF="$SYSCTL_CONF
$key = $value"
  if [ "$current" != "$value" ]; then
    if [ "$IN_CONTAINER" = yes ] && [ ! -w "/proc/sys/\${key//.//}" ]; then
      # Not namespaced, or /proc/sys is read-only: the setting belongs to the machine the container runs on.
      log "WARNING: $key is $current here and $value is wanted; in a container it is the container host's to set"
      continue
    fi
    sysctl -q -w "$key=$value"
    changed "set $key = $value"
  fi
done <<<"$SYSCTL_WANTED"
if write_if_changed /etc/sysctl.d/90-stars.conf "$SYSCTL_CONF"; then
  changed "wrote /etc/sysctl.d/90-stars.conf"
fi

`);
  });

  test.each([
    ['a floor below the current value keeps the current value', 'fs.file-max', '2466116', [], '2466116'],
    ['a floor above the current value raises it', 'fs.file-max', '65536', ['fs.file-max=1048576'], '1048576'],
    ['an exact value that differs is set', 'vm.swappiness', '60', ['vm.swappiness=1'], '1048576'],
    // sysctl prints the two numbers tab-separated, as the kernel does.
    [
      'the ephemeral port range, tab-separated and equal, is left alone',
      'net.ipv4.ip_local_port_range',
      '32768\\t60999',
      [],
      '1048576',
    ],
    [
      'another ephemeral port range is set to the one the firewall opens',
      'net.ipv4.ip_local_port_range',
      '1024\\t65000',
      ['net.ipv4.ip_local_port_range=32768 60999'],
      '1048576',
    ],
  ])('the sysctl loop, run with a stubbed sysctl: %s', (_claim, key, current, expectedWrites, fileMax) => {
    const loop = section(renderSystemScript(master), "SYSCTL_WANTED='", 'if write_if_changed /etc/sysctl.d');
    const values: Record<string, string> = {
      'vm.swappiness': '1',
      'net.ipv4.ip_forward': '1',
      'fs.inotify.max_user_watches': '524288',
      'fs.inotify.max_user_instances': '8192',
      'fs.file-max': '1048576',
      'net.ipv4.ip_local_port_range': '32768\\t60999',
      [key]: current,
    };
    const stub = `sysctl() {
  if [ "$1" = -n ]; then case "$2" in ${Object.entries(values)
    .map(([k, v]) => `${k}) printf '${v}\\n' ;;`)
    .join(' ')} esac
  else echo "$3" >>"$WRITES"; fi
}
changed() { :; }
IN_CONTAINER=no
`;
    const dir = mkdtempSync(path.join(tmpdir(), 'stars-sysctl-'));
    try {
      const writes = path.join(dir, 'writes');
      writeFileSync(writes, '');
      const r = bash(`${HELPERS}${stub}${loop}printf '%s\\n' "$SYSCTL_CONF"`, { WRITES: writes });
      expect(r.status).toBe(0);
      expect(
        readFileSync(writes, 'utf8')
          .split('\n')
          .filter((l) => l !== ''),
      ).toEqual(expectedWrites);
      expect(r.stdout).toContain(`fs.file-max = ${fileMax}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    [
      'master',
      master,
      'for dir in /var/lib/mesos /var/lib/stars /var/lib/zookeeper /var/log/mesos /var/log/zookeeper; do',
    ],
    ['agent', agent, 'for dir in /var/lib/mesos /var/lib/stars /var/log/mesos; do'],
  ])('a %s creates exactly its data directories, each only when missing', (_role, host, loop) => {
    expect(section(renderSystemScript(host), 'for dir in', 'log "system settings')).toBe(`${loop}
  if [ ! -d "$dir" ]; then
    install -d -m 0755 -o root -g root "$dir"
    changed "created $dir"
  fi
done
`);
  });

  test('write_if_changed writes a new or different file and reports "unchanged" (status 1) for an identical one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'stars-w-'));
    try {
      const fn = section(renderSystemScript(master), 'write_if_changed() {', '}');
      const f = path.join(dir, 'conf');
      const r = bash(
        `${fn}}\nwrite_if_changed ${f} a && echo wrote1\nwrite_if_changed ${f} a || echo same\nwrite_if_changed ${f} b && echo wrote2\ncat ${f}`,
      );
      expect(r.stdout).toBe('wrote1\nsame\nwrote2\nb\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('renderSystemScript: app directories on agents', () => {
  const DIRS = [
    { path: '/var/lib/stars/apps/jupyter', uid: 1000, gid: 100, mode: '0750' },
    { path: '/var/lib/stars/spark-events', uid: 0, gid: 0, mode: '1777' },
  ];

  test('without app directories the script has no app_dir step at all', () => {
    expect(renderSystemScript(agent)).not.toContain('app_dir');
  });

  test('each directory becomes one app_dir call with its owner and mode, after the data directories', () => {
    expect(section(renderSystemScript(agent, DIRS), 'app_dir() {', 'log "system settings')).toBe(`app_dir() {
  local dir="$1" owner="$2" mode="$3"
  if [ ! -d "$dir" ]; then
    install -d -m "$mode" -o "\${owner%:*}" -g "\${owner#*:}" "$dir"
    changed "created $dir"
  fi
  # With what is in it: an app whose image changed user (Blazegraph and Lightning ran as root) keeps its data.
  if [ "$(stat -c %u:%g "$dir")" != "$owner" ]; then
    chown -R "$owner" "$dir"
    changed "$dir now owned by $owner"
  fi
  if [ "$(stat -c %a "$dir")" != "\${mode#0}" ]; then
    chmod "$mode" "$dir"
    changed "$dir now has mode $mode"
  fi
}
app_dir '/var/lib/stars/apps/jupyter' 1000:100 0750
app_dir '/var/lib/stars/spark-events' 0:0 1777
`);
  });

  const asRoot = process.getuid?.() === 0 ? test : test.skip;
  asRoot(
    'app_dir creates with owner and mode, then is silent, then puts back a drifted owner and mode',
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'stars-app-'));
      try {
        const fn = section(renderSystemScript(agent, DIRS), 'app_dir() {', 'app_dir ');
        const target = path.join(dir, 'apps', 'jupyter');
        const run = () => bash(`${HELPERS}${fn}app_dir ${target} 1000:100 0750`);
        expect(run().stdout).toBe(`stars bootstrap [m1] created ${target}\n`);
        const st = statSync(target);
        expect([st.uid, st.gid, (st.mode & 0o7777).toString(8)]).toEqual([1000, 100, '750']);
        expect(run().stdout).toBe('');
        chownSync(target, 0, 0);
        chmodSync(target, 0o755);
        // A file the image's previous user (root) wrote: the app's new user must be able to keep writing it.
        writeFileSync(path.join(target, 'blazegraph.jnl'), 'journal');
        expect(run().stdout).toBe(
          `stars bootstrap [m1] ${target} now owned by 1000:100\nstars bootstrap [m1] ${target} now has mode 0750\n`,
        );
        const file = statSync(path.join(target, 'blazegraph.jnl'));
        expect([file.uid, file.gid]).toEqual([1000, 100]);
        const sticky = path.join(dir, 'events');
        expect(bash(`${HELPERS}${fn}app_dir ${sticky} 0:0 1777\napp_dir ${sticky} 0:0 1777`).stdout).toBe(
          `stars bootstrap [m1] created ${sticky}\n`,
        );
        expect((statSync(sticky).mode & 0o7777).toString(8)).toBe('1777');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('hostDirectories', () => {
  test('masters also get the ZooKeeper directories', () => {
    expect(hostDirectories(master)).toEqual([
      '/var/lib/mesos',
      '/var/lib/stars',
      '/var/lib/zookeeper',
      '/var/log/mesos',
      '/var/log/zookeeper',
    ]);
    expect(hostDirectories(agent)).toEqual(['/var/lib/mesos', '/var/lib/stars', '/var/log/mesos']);
  });
});

describe('renderVarVolumeScript', () => {
  const script = renderVarVolumeScript(agent);
  test('skips when /var already is the labelled volume', () => {
    expect(section(script, 'LABEL=', 'fi')).toBe(`LABEL=stars-var
if [ "$(findmnt -n -o LABEL /var 2>/dev/null || true)" = "$LABEL" ]; then
  log "/var is already the $LABEL volume"
  exit 0
`);
  });
  test('formats and copies only a volume without the label, and adds the fstab line once', () => {
    expect(section(script, 'if [ "$(blkid -o value', 'mount /var'))
      .toBe(`if [ "$(blkid -o value -s LABEL "$device" 2>/dev/null || true)" != "$LABEL" ]; then
  log "formatting $device for /var"
  mkfs.ext4 -q -L "$LABEL" "$device"
  install -d /mnt/stars-var
  mount "$device" /mnt/stars-var
  cp -a /var/. /mnt/stars-var/
  umount /mnt/stars-var
fi
if ! grep -q "^LABEL=$LABEL " /etc/fstab; then
  printf 'LABEL=%s /var ext4 defaults,nofail 0 2\\n' "$LABEL" >>/etc/fstab
fi
`);
  });
  test('a missing volume fails naming the host', () => {
    expect(script).toContain(
      'fail "no data volume for /var appeared within 300 s; check the volume attachment of host $HOST_NAME"',
    );
    expect(script).toContain("HOST_NAME='a1'");
  });
});

describe('renderLocalCheckScript', () => {
  test('renders the exact local check: Docker must answer, a small /var only warns (snapshot)', () => {
    expect(renderLocalCheckScript({ ...master, name: 'local' }, '27.5.1')).toMatchSnapshot();
  });
});

describe('every rendered script', () => {
  const scripts: [string, string][] = [
    ['10-preflight master', renderPreflightScript(master)],
    ['20-system master', renderSystemScript(master)],
    ['20-system agent', renderSystemScript(agent)],
    ['30-docker vendor with ssh user', renderDockerScript(agent, '28.5.2', VENDOR, NO_PROXY, 'admin')],
    ['30-docker vendor without ssh user', renderDockerScript(agent, '27.5.1', VENDOR, NO_PROXY)],
    [
      '30-docker distribution behind a proxy with a registry mirror',
      renderDockerScript(agent, '27.5.1', SITE, NO_PROXY, 'admin'),
    ],
    ['05-package-sources without a proxy or mirror', renderPackageSourcesScript(agent, VENDOR, NO_PROXY)],
    ['05-package-sources with a proxy and mirrors', renderPackageSourcesScript(agent, SITE, NO_PROXY)],
    ['00-var-volume', renderVarVolumeScript(agent)],
    ['25-metadata-guard agent', renderMetadataGuardScript(agent)],
    ['25-metadata-guard master', renderMetadataGuardScript(master)],
    [
      '30-docker with the cgroupfs driver pinned',
      renderDockerScript(agent, '28.5.2', VENDOR, NO_PROXY, 'admin', 'cgroupfs'),
    ],
    ['local check', renderLocalCheckScript(master, '27.5.1')],
  ];

  test.each(scripts)('%s is shellcheck clean (-s bash)', (_name, content) => {
    const r = spawnSync('/usr/bin/shellcheck', ['-s', 'bash', '-'], { input: content, encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  test.each(scripts)('%s parses with bash -n, starts strict and ends with a newline', (_name, content) => {
    expect(spawnSync('bash', ['-n'], { input: content }).status).toBe(0);
    expect(content.split('\n').slice(0, 5)).toContain('set -euo pipefail');
    expect(content.endsWith('\n')).toBe(true);
  });
});

describe('shellQuote', () => {
  test.each([
    ['plain', "'plain'"],
    ["it's", "'it'\\''s'"],
    ['$HOME `x`', "'$HOME `x`'"],
  ])('%s → %s', (input, quoted) => {
    expect(shellQuote(input)).toBe(quoted);
    expect(bash(`printf %s ${quoted}`).stdout).toBe(input);
  });
});
