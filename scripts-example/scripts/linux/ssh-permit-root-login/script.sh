#!/bin/bash
# Enforces "PermitRootLogin no". sshd uses the first value it reads, and files in
# sshd_config.d are read where the Include line stands (often the top): every other
# PermitRootLogin line is commented out so that ours is the only one.
# Exit codes: 0 done, 1 sshd_config missing, 2 the new configuration is invalid (restored).
set -u

config=/etc/ssh/sshd_config
[ -f "$config" ] || { echo "$config not found" >&2; exit 1; }

stamp=$(date +%Y%m%d%H%M%S)
files=("$config")
for file in /etc/ssh/sshd_config.d/*.conf; do [ -f "$file" ] && files+=("$file"); done
for file in "${files[@]}"; do cp -p "$file" "$file.car-backup.$stamp"; done

# Our own line from an earlier run goes first, so that running again changes nothing.
sed -i '/^PermitRootLogin no$/d' "$config"
for file in "${files[@]}"; do
  sed -i -E 's/^[[:space:]]*(PermitRootLogin[[:space:]].*)$/# \1  # disabled by CAR remediation/I' "$file"
done
# At the top: before any Include or Match block, so it is the first value sshd reads.
sed -i '1i PermitRootLogin no' "$config"

sshd_bin=$(command -v sshd || echo /usr/sbin/sshd)
if ! "$sshd_bin" -t 2>/dev/null; then
  for file in "${files[@]}"; do cp -p "$file.car-backup.$stamp" "$file"; done
  echo "sshd rejected the new configuration; the previous files are restored" >&2
  exit 2
fi

if command -v systemctl >/dev/null 2>&1; then
  systemctl reload sshd 2>/dev/null || systemctl reload ssh 2>/dev/null || true
else
  service sshd reload 2>/dev/null || service ssh reload 2>/dev/null || true
fi
echo "PermitRootLogin is now no"
exit 0
