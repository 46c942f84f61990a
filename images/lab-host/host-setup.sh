#!/usr/bin/env bash
# Turns a Debian 12 root into a Stars lab host: systemd as PID 1, sshd with host keys of its own, a `stars` user
# with passwordless sudo (what the stack's hosts use), and the distribution's Docker engine. Runs in the
# Dockerfile beside it (FROM debian:12) or in a debootstrap chroot (scripts/lab/build-base-image.sh).
set -euo pipefail

PACKAGES=(
  systemd systemd-sysv dbus openssh-server sudo ca-certificates curl procps iproute2 iputils-ping
  netcat-openbsd chrony nftables iptables docker.io zookeeper
)
missing=()
for p in "${PACKAGES[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
rm -rf /var/cache/apt/archives/*.deb /var/lib/apt/lists/*

# A fresh machine: no host keys or machine id until its first boot, nothing that needs a console.
rm -f /etc/ssh/ssh_host_* /etc/machine-id
: >/etc/machine-id
systemctl mask getty@tty1.service console-getty.service systemd-logind.service >/dev/null 2>&1

# Debian's ssh unit expects the keys the package's postinst made; each lab host makes its own at first boot.
cat >/etc/systemd/system/stars-lab-host-keys.service <<'UNIT'
[Unit]
Description=Stars lab: this host's own SSH host keys
Before=ssh.service
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A

[Install]
WantedBy=multi-user.target
UNIT
systemctl enable stars-lab-host-keys.service ssh.service >/dev/null 2>&1
# The engine runs from the first boot (the lab mounts a volume at /var/lib/docker, so overlay2 works nested);
# chrony is installed but off, so the bootstrap has time sync to turn on; ZooKeeper runs only where a test puts it.
systemctl enable docker.service >/dev/null 2>&1
systemctl disable chrony.service zookeeper.service >/dev/null 2>&1 || true

# Keys only: no password or keyboard-interactive logins and never root (the stack logs in as stars and uses
# sudo). Debian's sshd_config includes sshd_config.d first, and the first value of a keyword wins.
install -d -m 0755 /etc/ssh/sshd_config.d
printf '%s\n' 'PasswordAuthentication no' 'KbdInteractiveAuthentication no' 'PermitRootLogin no' \
  >/etc/ssh/sshd_config.d/10-stars-lab.conf
passwd -l root >/dev/null

# The stack's SSH user: the lab adds its key at `lab up`; the bootstrap adds it to the docker group.
id stars >/dev/null 2>&1 || useradd --create-home --shell /bin/bash stars
printf 'stars ALL=(ALL) NOPASSWD:ALL\n' >/etc/sudoers.d/stars
chmod 0440 /etc/sudoers.d/stars
install -d -m 0700 -o stars -g stars /home/stars/.ssh
