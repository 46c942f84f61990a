import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  renderResolvConf,
  renderResolvedDropIn,
  renderResolverRestoreScript,
  renderResolverScript,
  resolverNameservers,
  sudoScriptCommand,
} from '../../../../components/platform/render-resolver';

const input = (n: number) => ({
  hostName: 'a1',
  mesosDnsServers: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'].slice(0, n),
  upstream: ['10.9.0.2'],
  domain: 'mesos',
});

describe('resolver documents', () => {
  test.each([
    [1, '10.0.0.1'],
    [3, '10.0.0.1 10.0.0.2 10.0.0.3'],
    [5, '10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5'],
  ])(
    '%i masters: the systemd-resolved drop-in lists Mesos-DNS only (resolved sticks to a server that answered; Mesos-DNS forwards the rest)',
    (n, dns) => {
      expect(renderResolvedDropIn(input(n))).toBe(`[Resolve]\nDNS=${dns}\nDomains=mesos\n`);
    },
  );

  test('resolv.conf puts Mesos-DNS first with the Mesos domain as search domain', () => {
    expect(renderResolvConf(input(3)))
      .toBe(`# Rendered by Stars for a1: Mesos-DNS first, then the site resolvers.
search mesos
nameserver 10.0.0.1
nameserver 10.0.0.2
nameserver 10.0.0.3
nameserver 10.9.0.2
options timeout:2 attempts:2
`);
  });

  test('a resolver that is also a Mesos-DNS server is listed once', () => {
    expect(resolverNameservers({ ...input(1), upstream: ['10.0.0.1', '10.9.0.2'] })).toEqual([
      '10.0.0.1',
      '10.9.0.2',
    ]);
  });

  test('the configure script is the exact idempotent script for one master', () => {
    expect(renderResolverScript(input(1))).toBe(`#!/bin/sh
# Stars: point a1 at Mesos-DNS (10.0.0.1) first.
set -eu
case "$(readlink -f /etc/resolv.conf)" in
*/run/systemd/resolve/*)
  mkdir -p /etc/systemd/resolved.conf.d
  cat > /etc/systemd/resolved.conf.d/stars-mesos-dns.conf.new <<'STARS_EOF'
[Resolve]
DNS=10.0.0.1
Domains=mesos
STARS_EOF
  if cmp -s /etc/systemd/resolved.conf.d/stars-mesos-dns.conf.new /etc/systemd/resolved.conf.d/stars-mesos-dns.conf; then rm -f /etc/systemd/resolved.conf.d/stars-mesos-dns.conf.new; else
    mv /etc/systemd/resolved.conf.d/stars-mesos-dns.conf.new /etc/systemd/resolved.conf.d/stars-mesos-dns.conf
    systemctl restart systemd-resolved
  fi
  ;;
*)
  if systemctl is-active --quiet NetworkManager 2>/dev/null; then
    mkdir -p /etc/NetworkManager/conf.d
    if ! grep -qx 'dns=none' /etc/NetworkManager/conf.d/90-stars-dns.conf 2>/dev/null; then
      printf '[main]\\ndns=none\\n' > /etc/NetworkManager/conf.d/90-stars-dns.conf
      systemctl reload NetworkManager
    fi
  fi
  if [ -d /etc/dhcp/dhclient-enter-hooks.d ] && [ ! -e /etc/dhcp/dhclient-enter-hooks.d/stars-mesos-dns ]; then
    printf 'make_resolv_conf() { :; }\\n' > /etc/dhcp/dhclient-enter-hooks.d/stars-mesos-dns
  fi
  cat > /etc/resolv.conf.stars-new <<'STARS_EOF'
# Rendered by Stars for a1: Mesos-DNS first, then the site resolvers.
search mesos
nameserver 10.0.0.1
nameserver 10.9.0.2
options timeout:2 attempts:2
STARS_EOF
  if cmp -s /etc/resolv.conf.stars-new /etc/resolv.conf; then rm -f /etc/resolv.conf.stars-new; else
    [ -e /etc/resolv.conf.stars-backup ] || cp -P /etc/resolv.conf /etc/resolv.conf.stars-backup
    mv /etc/resolv.conf.stars-new /etc/resolv.conf
  fi
  ;;
esac
`);
  });

  test('the restore script removes the drop-in and puts the backed-up resolv.conf back', () => {
    expect(renderResolverRestoreScript()).toBe(`#!/bin/sh
set -eu
if [ -e /etc/systemd/resolved.conf.d/stars-mesos-dns.conf ]; then rm -f /etc/systemd/resolved.conf.d/stars-mesos-dns.conf; systemctl restart systemd-resolved || true; fi
if [ -e /etc/NetworkManager/conf.d/90-stars-dns.conf ]; then rm -f /etc/NetworkManager/conf.d/90-stars-dns.conf; systemctl reload NetworkManager || true; fi
rm -f /etc/dhcp/dhclient-enter-hooks.d/stars-mesos-dns
if [ -e /etc/resolv.conf.stars-backup ] || [ -L /etc/resolv.conf.stars-backup ]; then mv -f /etc/resolv.conf.stars-backup /etc/resolv.conf; fi
`);
  });

  test('the sudo command carries the script base64-encoded, so no quoting can break it', () => {
    const script = "echo 'it''s' \"$HOME\"\n";
    const cmd = sudoScriptCommand(script);
    expect(cmd).toMatch(/^echo [A-Za-z0-9+/=]+ \| base64 -d \| sudo sh -s$/);
    expect(Buffer.from(cmd.split(' ')[1], 'base64').toString('utf8')).toBe(script);
  });
});

describe('the configure and restore scripts, run against a scratch root', () => {
  /** Runs a script with /etc and /run under `root`; a fake systemctl reports `active` units and logs the rest. */
  const run = (script: string, root: string, active: readonly string[] = []): string => {
    const bin = path.join(root, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      path.join(bin, 'systemctl'),
      `#!/bin/sh\nif [ "$1" = is-active ]; then case " ${active.join(' ')} " in *" $3 "*) exit 0 ;; esac; exit 3; fi\necho "$@" >> ${root}/systemctl.log\n`,
      { mode: 0o755 },
    );
    const r = spawnSync('sh', ['-s'], {
      input: script.replaceAll('/etc/', `${root}/etc/`),
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    if (r.status !== 0) throw new Error(`script failed: ${r.stderr}`);
    return existsSync(`${root}/systemctl.log`) ? readFileSync(`${root}/systemctl.log`, 'utf8') : '';
  };
  /** /etc/resolv.conf as systemd-resolved links it (Ubuntu, the Debian cloud images). */
  const resolvedOwns = (root: string): void => {
    mkdirSync(`${root}/run/systemd/resolve`, { recursive: true });
    writeFileSync(`${root}/run/systemd/resolve/stub-resolv.conf`, 'nameserver 127.0.0.53\n');
    rmSync(`${root}/etc/resolv.conf`);
    symlinkSync(`${root}/run/systemd/resolve/stub-resolv.conf`, `${root}/etc/resolv.conf`);
  };
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'stars-resolver-'));
    mkdirSync(`${root}/etc`);
    writeFileSync(`${root}/etc/resolv.conf`, 'nameserver 192.0.2.1\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('without systemd-resolved: rewrites resolv.conf once, keeps one backup, and restore puts it back', () => {
    expect(run(renderResolverScript(input(3)), root)).toBe('');
    expect(readFileSync(`${root}/etc/resolv.conf`, 'utf8')).toBe(renderResolvConf(input(3)));
    run(renderResolverScript(input(3)), root);
    run(renderResolverScript(input(1)), root);
    expect(readFileSync(`${root}/etc/resolv.conf`, 'utf8')).toBe(renderResolvConf(input(1)));
    expect(readFileSync(`${root}/etc/resolv.conf.stars-backup`, 'utf8')).toBe('nameserver 192.0.2.1\n');
    run(renderResolverRestoreScript(), root);
    expect(readFileSync(`${root}/etc/resolv.conf`, 'utf8')).toBe('nameserver 192.0.2.1\n');
    expect(existsSync(`${root}/etc/resolv.conf.stars-backup`)).toBe(false);
  });

  test('where systemd-resolved owns resolv.conf: writes the drop-in, restarts resolved only when it changed, restore removes it', () => {
    resolvedOwns(root);
    expect(run(renderResolverScript(input(3)), root, ['systemd-resolved'])).toBe(
      'restart systemd-resolved\n',
    );
    expect(readFileSync(`${root}/etc/systemd/resolved.conf.d/stars-mesos-dns.conf`, 'utf8')).toBe(
      renderResolvedDropIn(input(3)),
    );
    expect(run(renderResolverScript(input(3)), root, ['systemd-resolved'])).toBe(
      'restart systemd-resolved\n',
    );
    expect(readFileSync(`${root}/etc/resolv.conf`, 'utf8')).toBe('nameserver 127.0.0.53\n');
    run(renderResolverRestoreScript(), root, ['systemd-resolved']);
    expect(existsSync(`${root}/etc/systemd/resolved.conf.d/stars-mesos-dns.conf`)).toBe(false);
  });

  test('systemd-resolved running but not owning resolv.conf: the file is written, the drop-in would change nothing', () => {
    run(renderResolverScript(input(1)), root, ['systemd-resolved']);
    expect(readFileSync(`${root}/etc/resolv.conf`, 'utf8')).toBe(renderResolvConf(input(1)));
    expect(existsSync(`${root}/etc/systemd/resolved.conf.d/stars-mesos-dns.conf`)).toBe(false);
  });

  test('NetworkManager (Rocky/Alma) is told to leave resolv.conf alone, once; restore hands it back', () => {
    expect(run(renderResolverScript(input(1)), root, ['NetworkManager'])).toBe('reload NetworkManager\n');
    expect(readFileSync(`${root}/etc/NetworkManager/conf.d/90-stars-dns.conf`, 'utf8')).toBe(
      '[main]\ndns=none\n',
    );
    expect(run(renderResolverScript(input(1)), root, ['NetworkManager'])).toBe('reload NetworkManager\n');
    run(renderResolverRestoreScript(), root, ['NetworkManager']);
    expect(existsSync(`${root}/etc/NetworkManager/conf.d/90-stars-dns.conf`)).toBe(false);
  });

  test('dhclient (Debian with DHCP) gets an enter hook that keeps its lease renewals off resolv.conf', () => {
    mkdirSync(`${root}/etc/dhcp/dhclient-enter-hooks.d`, { recursive: true });
    run(renderResolverScript(input(1)), root);
    const hook = `${root}/etc/dhcp/dhclient-enter-hooks.d/stars-mesos-dns`;
    expect(readFileSync(hook, 'utf8')).toBe('make_resolv_conf() { :; }\n');
    // dhclient-script sources its enter hooks, then calls make_resolv_conf: the hook's definition wins.
    const r = spawnSync('sh', ['-c', `make_resolv_conf() { echo rewritten; }; . ${hook}; make_resolv_conf`], {
      encoding: 'utf8',
    });
    expect(r.stdout).toBe('');
    run(renderResolverRestoreScript(), root);
    expect(existsSync(hook)).toBe(false);
  });
});
