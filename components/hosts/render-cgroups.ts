import type { HostSpec } from '../model/types';
import { OS_DETECTION, WRITE_IF_CHANGED, preamble } from './render-bootstrap';

/**
 * Mesos 1.x agents need the cgroup v1 hierarchy: no 1.x release reads cgroup v2 (src/linux/cgroups.cpp only
 * considers `cgroup` mounts; v2 code exists only on the unreleased master branch), while Debian 12, Ubuntu
 * 22.04/24.04 and Rocky 9 boot cgroup v2. So on an agent booted with cgroup v2 this step selects the legacy
 * hierarchy for the next boot (systemd.unified_cgroup_hierarchy=0 on the kernel command line, idempotently)
 * and stops the bootstrap until the host has rebooted: a reboot is never done silently, and nothing else is
 * installed for Mesos on a host it cannot run on. Masters run no containers for Mesos and keep cgroup v2.
 */

export const CGROUP_V1_ARGUMENT = 'systemd.unified_cgroup_hierarchy=0';
/** Marks a host whose next boot switches hierarchy; /run is cleared by the reboot. */
export const REBOOT_MARKER = '/run/stars-reboot-required';
/** Set by cloud-init at first boot on AWS, which reboots the instance itself (power_state). */
export const DEFER_REBOOT_ENV = 'STARS_CGROUP_DEFER_REBOOT';

export function renderCgroupScript(host: HostSpec): string {
  return `${preamble(host.name, '40-cgroups.sh', 'the cgroup v1 hierarchy Mesos 1.x agents need')}${OS_DETECTION}${WRITE_IF_CHANGED}
ARGUMENT=${CGROUP_V1_ARGUMENT}
if [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ]; then
  log "cgroup v1 hierarchy, as Mesos 1.x agents need"
  exit 0
fi
if grep -qw "$ARGUMENT" /proc/cmdline; then
  fail "host $HOST_NAME booted with $ARGUMENT but still runs cgroup v2: its systemd no longer offers cgroup v1 (systemd 256 and later); Mesos 1.x agents cannot run on it, use a supported system (Debian 12, Ubuntu 22.04/24.04, Rocky or AlmaLinux 9)"
fi
case "$OS_FAMILY" in
  debian)
    install -d -m 0755 /etc/default/grub.d
    if write_if_changed /etc/default/grub.d/90-stars-cgroup.cfg "# Managed by Stars: Mesos 1.x agents need the cgroup v1 hierarchy.
GRUB_CMDLINE_LINUX=\\"\\$GRUB_CMDLINE_LINUX $ARGUMENT\\""; then
      update-grub
      log "the kernel command line selects cgroup v1 from the next boot"
    fi
    ;;
  rhel)
    if ! grubby --info=ALL | grep -q "$ARGUMENT"; then
      grubby --update-kernel=ALL --args="$ARGUMENT"
      log "the kernel command line selects cgroup v1 from the next boot"
    fi
    ;;
esac
touch ${REBOOT_MARKER}
if [ "\${${DEFER_REBOOT_ENV}:-no}" = yes ]; then
  log "cgroup v2 now: rebooting into cgroup v1 when cloud-init is done"
  exit 0
fi
fail "host $HOST_NAME runs cgroup v2, but Mesos 1.x agents need cgroup v1: the kernel command line now selects it; reboot $HOST_NAME (sudo systemctl reboot), then run pulumi up again"
`;
}
