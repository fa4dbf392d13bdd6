#!/bin/bash
# Installs auditd when missing, then enables and starts it.
# Exit codes: 0 done (or nothing to do), 1 no supported package manager, 2 install failed,
# 3 the service could not be started.
set -u

if ! command -v auditctl >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq auditd audispd-plugins || exit 2
  elif command -v dnf >/dev/null 2>&1; then
    dnf install -y -q audit || exit 2
  elif command -v yum >/dev/null 2>&1; then
    yum install -y -q audit || exit 2
  elif command -v zypper >/dev/null 2>&1; then
    zypper --non-interactive install audit || exit 2
  else
    echo "no supported package manager (apt-get, dnf, yum, zypper) found" >&2
    exit 1
  fi
fi

if command -v systemctl >/dev/null 2>&1; then
  systemctl enable auditd >/dev/null 2>&1
  # auditd refuses "systemctl restart" on some distributions (RefuseManualStop=yes): start only.
  systemctl is-active --quiet auditd || systemctl start auditd || service auditd start || exit 3
  systemctl is-active --quiet auditd || exit 3
else
  service auditd start || exit 3
fi

echo "auditd is installed, enabled and running"
exit 0
