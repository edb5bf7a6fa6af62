#!/bin/sh
# Unlimited Cluster installer (run as root from the release directory or a built checkout).
#
#   ./install.sh                      install the Webmin module (and its hub service) into Webmin
#   ./install.sh uninstall            remove the module from Webmin (the hub's data stays)
#   ./install.sh agent --hub wss://HOST:10443/agent --token TOKEN [--id SERVER_ID]
#                                     install the node agent (Node.js from the distribution when
#                                     missing), its service, and enroll it with the hub (the token
#                                     may come in UC_JOIN_TOKEN instead; the hub's one-line join
#                                     command does that)
#   ./install.sh agent --uninstall    stop and remove the agent (its credential too)
#
# Every step checks before it acts, so running the same command again changes nothing.
# UC_PREFIX (default: none) puts every path the agent install writes under another root.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix=${UC_PREFIX:-}
agent_dir="$prefix/opt/unlimited-cluster"
agent_state="$prefix/var/lib/unlimited-cluster/agent.json"
agent_env="$prefix/etc/unlimited-cluster/agent.env"
agent_unit="$prefix/etc/systemd/system/unlimited-cluster-agent.service"
agent_pid="$prefix/var/lib/unlimited-cluster/agent.pid"
agent_log="$prefix/var/log/unlimited-cluster-agent.log"

die() { echo "install.sh: $*" >&2; exit 1; }
say() { echo "install.sh: $*"; }
need_root() { [ "$(id -u)" -eq 0 ] || die "run this as root"; }
has_systemd() { [ -d "${UC_SYSTEMD_DIR:-/run/systemd/system}" ]; }

# The first file that exists among the arguments.
first() { for f in "$@"; do [ -e "$f" ] && { echo "$f"; return 0; }; done; return 1; }

webmin_config() {
  for dir in ${WEBMIN_CONFIG:-/etc/webmin}; do
    [ -r "$dir/miniserv.conf" ] && { echo "$dir"; return 0; }
  done
  return 1
}

install_module() {
  need_root
  config=$(webmin_config) || {
    echo "Webmin was not found (no /etc/webmin/miniserv.conf). Install Webmin first:" >&2
    echo "  https://webmin.com/download/ (Debian/Ubuntu: its apt repository), then run ./install.sh again." >&2
    echo "Or run the dashboard without Webmin: npm ci && npm start" >&2
    exit 1
  }
  root=$(sed -n 's/^root=//p' "$config/miniserv.conf")
  [ -x "$root/install-module.pl" ] || die "Webmin's install-module.pl is missing from $root"
  wbm=$(first "$here/unlimited-cluster.wbm.gz" "$here/dist/unlimited-cluster.wbm.gz") \
    || die "no unlimited-cluster.wbm.gz next to install.sh or in dist/ (build it: npm ci && npm run build:wbm)"
  command -v node >/dev/null 2>&1 || install_node
  # install-module.pl runs the module's postinstall: ticket secret, WebSocket route, hub service.
  "$root/install-module.pl" "$wbm" "$config"
  say "open https://$(hostname -f 2>/dev/null || hostname):$(sed -n 's/^port=//p' "$config/miniserv.conf")/unlimited-cluster/"
}

uninstall_module() {
  need_root
  config=$(webmin_config) || die "Webmin was not found: nothing to remove"
  root=$(sed -n 's/^root=//p' "$config/miniserv.conf")
  [ -d "$root/unlimited-cluster" ] || { say "the module is not installed"; return 0; }
  # Webmin's own deletion runs uninstall.pl (stops the hub, removes the route); data stays.
  WEBMIN_CONFIG="$config" WEBMIN_VAR=$(cat "$config/var-path") perl -e '
    my $root = shift; chdir($root) || die "$root: $!"; push(@INC, $root);
    $0 = "$root/install-module.pl"; $no_acl_check++; eval "use WebminCore;"; init_config();
    foreign_require("webmin", "webmin-lib.pl"); webmin::delete_webmin_module("unlimited-cluster");' "$root" \
    || die "Webmin could not remove the module"
  [ ! -d "$root/unlimited-cluster" ] || die "Webmin did not remove $root/unlimited-cluster"
  say "removed the module (the hub's data stays in $(cat "$config/var-path")/modules/unlimited-cluster)"
}

# Node.js 18 or later from the distribution.
install_node() {
  if ! command -v node >/dev/null 2>&1; then
    command -v apt-get >/dev/null 2>&1 || die "Node.js is missing and apt-get is not available: install Node.js 18 or later"
    say "installing Node.js from the distribution"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 nodejs >/dev/null \
      || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 nodejs >/dev/null; } \
      || die "apt-get could not install nodejs"
  fi
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 18 ] || die "Node.js $(node -v) is too old: the agent needs 18 or later"
}

agent_running_pid() {
  [ -r "$agent_pid" ] && pid=$(cat "$agent_pid") && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# Stops the agent started without systemd: TERM, up to 10 s to finish, then KILL.
stop_agent_pid() {
  pid=$(agent_running_pid) || return 0
  kill "$pid" 2>/dev/null || true
  i=0
  while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$agent_pid"
}

# Whether the agent is still running (as the systemd service, or started here).
agent_alive() {
  if has_systemd; then systemctl is-active --quiet unlimited-cluster-agent; else agent_running_pid >/dev/null; fi
}

agent_log_tail() {
  if has_systemd; then journalctl -u unlimited-cluster-agent -n 5 --no-pager; else tail -n 5 "$agent_log"; fi
}

start_agent() {
  if has_systemd; then
    systemctl daemon-reload
    systemctl enable unlimited-cluster-agent >/dev/null 2>&1
    systemctl restart unlimited-cluster-agent
    say "the agent runs as the systemd service unlimited-cluster-agent"
    return 0
  fi
  stop_agent_pid
  mkdir -p "$(dirname "$agent_log")"
  # shellcheck disable=SC2046 # the env file holds simple KEY=value lines written below
  (umask 077; env $(cat "$agent_env") setsid node "$agent_dir/agent.mjs" >>"$agent_log" 2>&1 </dev/null & echo $! >"$agent_pid")
  say "systemd is not running: the agent was started now (pid $(cat "$agent_pid"), log $agent_log) but will not start at boot"
}

install_agent() {
  hub='' token=${UC_JOIN_TOKEN:-} id=''
  while [ $# -gt 0 ]; do
    case "$1" in
      --hub) [ $# -ge 2 ] || die "--hub needs a URL"; hub=$2; shift 2 ;;
      --token) [ $# -ge 2 ] || die "--token needs a join token"; token=$2; shift 2 ;;
      --id) [ $# -ge 2 ] || die "--id needs a server id"; id=$2; shift 2 ;;
      --uninstall) uninstall_agent; return 0 ;;
      *) die "unknown option '$1' (usage: ./install.sh agent --hub wss://HOST:10443/agent --token TOKEN [--id SERVER_ID])" ;;
    esac
  done
  case "$id" in
    *[!A-Za-z0-9._-]*) die "--id '$id' is not a valid server id (letters, digits, . _ -)" ;;
  esac
  case "$hub" in
    wss://?*) ;;
    '') die "give the hub's agent URL: --hub wss://HOST:10443/agent" ;;
    *) die "--hub must be a wss:// URL (agents speak TLS only), not '$hub'" ;;
  esac
  need_root
  bundle=$(first "$here/agent.mjs" "$here/dist/agent.mjs") \
    || die "no agent.mjs next to install.sh or in dist/ (build it: npm ci && npm run build)"
  if [ -s "$agent_state" ]; then
    say "already enrolled ($agent_state): keeping that identity; --token is not needed again"
    token=''
  else
    [ -n "$token" ] || die "this node is not enrolled yet: give --token with a join token from the hub"
  fi
  install_node
  node=$(command -v node)
  mkdir -p "$agent_dir" "$(dirname "$agent_state")" "$(dirname "$agent_env")"
  chmod 700 "$(dirname "$agent_state")" "$(dirname "$agent_env")"
  cp "$bundle" "$agent_dir/agent.mjs.tmp" && mv "$agent_dir/agent.mjs.tmp" "$agent_dir/agent.mjs"
  (umask 077
   { echo "UC_HUB=$hub"; echo "UC_STATE_FILE=$agent_state"; [ -z "$id" ] || echo "UC_SERVER_ID=$id"
     [ -z "$token" ] || echo "UC_JOIN_TOKEN=$token"; } >"$agent_env.tmp"
   mv "$agent_env.tmp" "$agent_env")
  if has_systemd; then
    mkdir -p "$(dirname "$agent_unit")"
    cat >"$agent_unit" <<EOF
[Unit]
Description=Unlimited Cluster agent
After=network-online.target

[Service]
EnvironmentFile=$agent_env
ExecStart=$node $agent_dir/agent.mjs
Restart=always
RestartSec=5
# 3: the hub refused this agent for good (revoked, id taken, token refused): it says why.
RestartPreventExitStatus=3
UMask=0077

[Install]
WantedBy=multi-user.target
EOF
  fi
  start_agent
  # Enrollment uses the token once; then the credential in the state file is what counts. An
  # agent the hub refuses stops at once and says why: show that rather than wait.
  i=0
  while [ ! -s "$agent_state" ] && [ $i -lt 60 ] && agent_alive; do sleep 1; i=$((i + 1)); done
  if [ ! -s "$agent_state" ]; then
    agent_alive && why="it did not enroll within 60 s" || why="it stopped"
    echo "install.sh: the agent has not enrolled: $why. Its last words:" >&2
    agent_log_tail >&2
    die "not enrolled (the hub must be reachable at $hub; if another node has this host name, run this again with --id NAME)"
  fi
  grep -v '^UC_JOIN_TOKEN=' "$agent_env" >"$agent_env.tmp" && mv "$agent_env.tmp" "$agent_env"
  say "enrolled with $hub"
}

uninstall_agent() {
  need_root
  if has_systemd && [ -e "$agent_unit" ]; then
    systemctl disable --now unlimited-cluster-agent >/dev/null 2>&1 || true
    rm -f "$agent_unit"
    systemctl daemon-reload
  fi
  stop_agent_pid
  rm -rf "$agent_dir" "$agent_env" "$agent_state" "$agent_pid"
  say "removed the agent (revoke it on the hub too: DELETE /api/agents/{id} or the dashboard)"
}

case "${1:-}" in
  '') install_module ;;
  uninstall) uninstall_module ;;
  agent) shift; install_agent "$@" ;;
  -h|--help) sed -n '2,12p' "$0" ;;
  *) die "unknown command '$1' (see ./install.sh --help)" ;;
esac
