import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
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
    [1, '10.0.0.1 10.9.0.2'],
    [3, '10.0.0.1 10.0.0.2 10.0.0.3 10.9.0.2'],
    [5, '10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5 10.9.0.2'],
  ])('%i masters: the systemd-resolved drop-in lists Mesos-DNS first, then the site resolver', (n, dns) => {
    expect(renderResolvedDropIn(input(n))).toBe(`[Resolve]\nDNS=${dns}\nDomains=mesos\n`);
  });

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
if systemctl is-active --quiet systemd-resolved 2>/dev/null; then
  mkdir -p /etc/systemd/resolved.conf.d
  cat > /etc/systemd/resolved.conf.d/stars-mesos-dns.conf.new <<'STARS_EOF'
[Resolve]
DNS=10.0.0.1 10.9.0.2
Domains=mesos
STARS_EOF
  if cmp -s /etc/systemd/resolved.conf.d/stars-mesos-dns.conf.new /etc/systemd/resolved.conf.d/stars-mesos-dns.conf; then rm -f /etc/systemd/resolved.conf.d/stars-mesos-dns.conf.new; else
    mv /etc/systemd/resolved.conf.d/stars-mesos-dns.conf.new /etc/systemd/resolved.conf.d/stars-mesos-dns.conf
    systemctl restart systemd-resolved
  fi
else
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
fi
`);
  });

  test('the restore script removes the drop-in and puts the backed-up resolv.conf back', () => {
    expect(renderResolverRestoreScript()).toBe(`#!/bin/sh
set -eu
if [ -e /etc/systemd/resolved.conf.d/stars-mesos-dns.conf ]; then rm -f /etc/systemd/resolved.conf.d/stars-mesos-dns.conf; systemctl restart systemd-resolved || true; fi
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
  const run = (script: string, root: string, resolvedActive: boolean): string => {
    const bin = path.join(root, 'bin');
    mkdirSync(bin, { recursive: true });
    // A fake systemctl: reports systemd-resolved active or not, and logs restarts.
    writeFileSync(
      path.join(bin, 'systemctl'),
      `#!/bin/sh\nif [ "$1" = is-active ]; then exit ${resolvedActive ? 0 : 3}; fi\necho "$@" >> ${root}/systemctl.log\n`,
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
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'stars-resolver-'));
    mkdirSync(`${root}/etc`);
    writeFileSync(`${root}/etc/resolv.conf`, 'nameserver 192.0.2.1\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('without systemd-resolved: rewrites resolv.conf once, keeps one backup, and restore puts it back', () => {
    run(renderResolverScript(input(3)), root, false);
    expect(readFileSync(`${root}/etc/resolv.conf`, 'utf8')).toBe(renderResolvConf(input(3)));
    run(renderResolverScript(input(3)), root, false);
    run(renderResolverScript(input(1)), root, false);
    expect(readFileSync(`${root}/etc/resolv.conf`, 'utf8')).toBe(renderResolvConf(input(1)));
    expect(readFileSync(`${root}/etc/resolv.conf.stars-backup`, 'utf8')).toBe('nameserver 192.0.2.1\n');
    run(renderResolverRestoreScript(), root, false);
    expect(readFileSync(`${root}/etc/resolv.conf`, 'utf8')).toBe('nameserver 192.0.2.1\n');
    expect(existsSync(`${root}/etc/resolv.conf.stars-backup`)).toBe(false);
  });

  test('with systemd-resolved: writes the drop-in, restarts resolved only when it changed, restore removes it', () => {
    expect(run(renderResolverScript(input(3)), root, true)).toBe('restart systemd-resolved\n');
    expect(readFileSync(`${root}/etc/systemd/resolved.conf.d/stars-mesos-dns.conf`, 'utf8')).toBe(
      renderResolvedDropIn(input(3)),
    );
    expect(run(renderResolverScript(input(3)), root, true)).toBe('restart systemd-resolved\n');
    expect(readFileSync(`${root}/etc/resolv.conf`, 'utf8')).toBe('nameserver 192.0.2.1\n');
    run(renderResolverRestoreScript(), root, true);
    expect(existsSync(`${root}/etc/systemd/resolved.conf.d/stars-mesos-dns.conf`)).toBe(false);
  });
});
