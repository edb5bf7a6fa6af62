#!/bin/sh
# Installs Unlimited Cluster into an existing Webmin. The Webmin package (.wbm) and the node
# agent installer are built in the module issue; until then this checks the host and says how
# to run the standalone dashboard instead.
set -eu
for dir in /usr/share/webmin /usr/libexec/webmin /opt/webmin; do
  if [ -f "$dir/install-module.pl" ]; then
    echo "Webmin found in $dir, but this release does not ship the .wbm package yet." >&2
    echo "Run the standalone dashboard instead: npm ci && npm start" >&2
    exit 1
  fi
done
echo "Webmin was not found. Install it from https://webmin.com/download/ (Debian/Ubuntu: its apt repository)," >&2
echo "or run the standalone dashboard without Webmin: npm ci && npm start" >&2
exit 1
