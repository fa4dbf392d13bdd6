#!/bin/bash
# CIS 7.1.x: /etc/shadow and /etc/gshadow owned by root, group root or shadow, mode 0640 or
# stricter. Modes are only ever tightened: a stricter 0000 (RHEL's default) stays as it is.
# Exit codes: 0 done, 1 a file could not be fixed.
set -u

group=root
getent group shadow >/dev/null 2>&1 && group=shadow

status=0
for file in /etc/shadow /etc/gshadow; do
  [ -e "$file" ] || continue
  chown "root:$group" "$file" || status=1
  chmod u-x,g-wx,o-rwx "$file" || status=1
  stat -c '%n %U:%G %a' "$file"
done
exit $status
