import type { HostSpec } from '../model/types';
import { OS_DETECTION, WRITE_IF_CHANGED, preamble, shellQuote } from './render-bootstrap';

/**
 * AWS only, 25-metadata-guard.sh: no container reaches the instance metadata service. The IMDSv2 hop limit
 * stops containers on a Docker network, but a task on the host's network shares the host's addresses; only its
 * socket's cgroup tells it apart. So an nftables table of its own (`inet stars_metadata`):
 * - forward: packets of containers on a Docker network to the metadata addresses are refused;
 * - output (agents, where tasks run): sockets in the containers' cgroup are refused too. Docker's cgroupfs
 *   driver puts every container under `/docker/<id>`, and runc does so in the cgroup v2 tree as well when it sits
 *   beside cgroup v1 (`/sys/fs/cgroup/unified`, the hybrid layout Mesos agents boot). The host's own services
 *   (cloud-init, the SSM agent) are not containers and keep the service.
 * nft resolves a cgroup path when the rules load, so a loader finds the v2 tree, makes the containers' cgroup
 * first, and is a unit that docker.service requires: no engine starts without the guard (it fails closed).
 */

export const METADATA_ADDRESSES = { ipv4: '169.254.169.254', ipv6: 'fd00:ec2::254' } as const;
export const METADATA_GUARD_TABLE = 'stars_metadata';
export const METADATA_GUARD_RULESET = '/etc/stars/metadata-guard.nft';
export const METADATA_GUARD_LOADER = '/usr/local/lib/stars/metadata-guard';
export const METADATA_GUARD_UNIT = 'stars-metadata-guard.service';
/** The cgroup (level 1 of the v2 tree) Docker's cgroupfs driver creates its containers in. */
export const CONTAINER_CGROUP = 'docker';

export function renderMetadataGuardRuleset(host: HostSpec): string {
  const refuse = (match: string): string[] => [
    `    ip daddr ${METADATA_ADDRESSES.ipv4} ${match}counter reject with icmpx admin-prohibited`,
    `    ip6 daddr ${METADATA_ADDRESSES.ipv6} ${match}counter reject with icmpx admin-prohibited`,
  ];
  const output = host.roles.includes('agent')
    ? [
        '  chain output {',
        '    type filter hook output priority -10; policy accept;',
        "    # Tasks on the host's network: their sockets are in the containers' cgroup ($containers, set by the loader).",
        ...refuse('socket cgroupv2 level 1 $containers '),
        '  }',
      ]
    : [];
  return [
    '# Managed by Stars (components/hosts/render-metadata-guard.ts): containers cannot reach the instance',
    `# metadata service. Loaded by ${METADATA_GUARD_LOADER}; the first two lines make the reload atomic.`,
    `table inet ${METADATA_GUARD_TABLE}`,
    `delete table inet ${METADATA_GUARD_TABLE}`,
    `table inet ${METADATA_GUARD_TABLE} {`,
    '  chain forward {',
    '    type filter hook forward priority -10; policy accept;',
    '    # Containers on a Docker network: the host forwards their packets.',
    ...refuse(''),
    '  }',
    ...output,
    '}',
    '',
  ].join('\n');
}

/** Finds the cgroup v2 tree, makes the containers' cgroup there, and loads the ruleset with its path. */
export function renderMetadataGuardLoader(): string {
  return `#!/bin/sh
# Managed by Stars (components/hosts/render-metadata-guard.ts): loads ${METADATA_GUARD_RULESET}.
set -eu
if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
  tree=/sys/fs/cgroup path=${CONTAINER_CGROUP}
elif [ -d /sys/fs/cgroup/unified ] && [ "$(stat -fc %T /sys/fs/cgroup/unified)" = cgroup2fs ]; then
  tree=/sys/fs/cgroup/unified path=unified/${CONTAINER_CGROUP}
else
  echo "stars-metadata-guard: no cgroup v2 tree at /sys/fs/cgroup or /sys/fs/cgroup/unified; containers could not be told apart" >&2
  exit 1
fi
# nft resolves the path now, and Docker creates its cgroup only with the first container.
mkdir -p "$tree/${CONTAINER_CGROUP}"
exec nft -D "containers=\\"$path\\"" -f ${METADATA_GUARD_RULESET}
`;
}

export function renderMetadataGuardUnit(): string {
  return `# Managed by Stars (components/hosts/render-metadata-guard.ts).
[Unit]
Description=Stars: containers cannot reach the instance metadata service
After=nftables.service
Before=docker.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=${METADATA_GUARD_LOADER}

[Install]
RequiredBy=docker.service
WantedBy=multi-user.target
`;
}

/** The bootstrap step: nft, the ruleset, the loader and the unit, loaded now and at every boot before Docker. */
export function renderMetadataGuardScript(host: HostSpec): string {
  const unitPath = `/etc/systemd/system/${METADATA_GUARD_UNIT}`;
  return `${preamble(host.name, '25-metadata-guard.sh', 'containers cannot reach the instance metadata service')}${OS_DETECTION}${WRITE_IF_CHANGED}
if ! command -v nft >/dev/null 2>&1; then
  changed "installing nftables"
  case "$OS_FAMILY" in
    debian) apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nftables ;;
    rhel) dnf install -y -q nftables ;;
  esac
fi
# shellcheck disable=SC2016 # written to its file as it is; nft reads $containers
RULESET=${shellQuote(renderMetadataGuardRuleset(host))}
# shellcheck disable=SC2016 # written to its file as it is; the loader expands its own variables
LOADER=${shellQuote(renderMetadataGuardLoader())}
UNIT=${shellQuote(renderMetadataGuardUnit())}
install -d -m 0755 /etc/stars /usr/local/lib/stars
guard_changed=no
write_if_changed ${METADATA_GUARD_RULESET} "$RULESET" && guard_changed=yes
write_if_changed ${METADATA_GUARD_LOADER} "$LOADER" && guard_changed=yes
chmod 0755 ${METADATA_GUARD_LOADER}
write_if_changed ${unitPath} "$UNIT" && guard_changed=yes
if [ "$guard_changed" = yes ]; then
  systemctl daemon-reload
  systemctl enable ${METADATA_GUARD_UNIT} >/dev/null 2>&1
  systemctl restart ${METADATA_GUARD_UNIT}
  changed "loaded the metadata guard (${METADATA_GUARD_RULESET})"
elif ! nft list table inet ${METADATA_GUARD_TABLE} >/dev/null 2>&1; then
  systemctl restart ${METADATA_GUARD_UNIT}
  changed "reloaded the metadata guard"
fi
nft list table inet ${METADATA_GUARD_TABLE} >/dev/null 2>&1 || fail "the metadata guard is not loaded; see journalctl -u ${METADATA_GUARD_UNIT}"
log "containers cannot reach the instance metadata service"
`;
}
