#!/usr/bin/env bash
# Installs from Debian what the tests need, only when it is missing. Idempotent and silent when
# everything is already there; exits non-zero with a one-line reason when it cannot install.
set -euo pipefail

# What the tests run, as "command-to-check package" pairs. A command is a name looked up on
# PATH or an absolute path (a file that must exist). Later issues append their daemons here.
NEEDS=(
  "/usr/bin/chromium chromium"
  "openssl openssl"
  "/usr/sbin/ip iproute2"
  "promtool prometheus"
  "prove perl"
  "/usr/sbin/haproxy haproxy"
  "/usr/sbin/keepalived keepalived"
  "/usr/sbin/mariadbd mariadb-server"
  "/usr/lib/galera/libgalera_smm.so galera-4"
  "/usr/bin/mariadb-backup mariadb-backup"
  "/usr/bin/rsync rsync"
  "/usr/bin/socat socat"
  "/usr/sbin/glusterd glusterfs-server"
  "/sbin/mount.glusterfs glusterfs-client"
  "/usr/bin/nsenter util-linux"
)

die() { echo "test-deps: $*" >&2; exit 1; }
# A name on PATH, or an absolute path that exists (a library is no command).
have() { if [[ $1 == /* ]]; then [ -e "$1" ]; else command -v "$1" >/dev/null 2>&1; fi; }

missing=()
for pair in "${NEEDS[@]}"; do
  read -r cmd pkg <<<"$pair"
  have "$cmd" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

[ "$(id -u)" -eq 0 ] || die "missing ${missing[*]}; run as root (or install them: apt-get install ${missing[*]})"
command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and apt-get is not available to install them"

# apt's own output only matters when it fails.
log=$(mktemp)
cleanup() { rm -f "$log"; }
trap cleanup EXIT
# The daemons are for tests, which start their own: their packages must not start services.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  cleanup() { rm -f "$log" /usr/sbin/policy-rc.d; }
fi
export DEBIAN_FRONTEND=noninteractive
echo "test-deps: installing ${missing[*]} from Debian" >&2
# Another process may hold the dpkg lock (unattended upgrades, a parallel job): wait for it.
apt-get -o DPkg::Lock::Timeout=600 update >"$log" 2>&1 \
  || { cat "$log" >&2; die "apt-get update failed"; }
apt-get install -y -o DPkg::Lock::Timeout=600 "${missing[@]}" >"$log" 2>&1 \
  || { cat "$log" >&2; die "apt-get install ${missing[*]} failed"; }

for pair in "${NEEDS[@]}"; do
  read -r cmd pkg <<<"$pair"
  have "$cmd" || die "$pkg was installed but $cmd is still missing"
done
