#!/bin/bash
# Maximum password age for new accounts (login.defs) and existing ones (chage).
# MAX_DAYS may be given as a script parameter; 90 otherwise.
# Exit codes: 0 done, 1 MAX_DAYS is not a number, 2 login.defs missing, 3 chage failed.
set -u

max_days="${MAX_DAYS:-90}"
case "$max_days" in
  ''|*[!0-9]*) echo "MAX_DAYS must be a whole number, got '$max_days'" >&2; exit 1 ;;
esac

defs=/etc/login.defs
[ -f "$defs" ] || { echo "$defs not found" >&2; exit 2; }
if grep -qE '^[[:space:]]*PASS_MAX_DAYS' "$defs"; then
  sed -i -E "s/^[[:space:]]*PASS_MAX_DAYS.*/PASS_MAX_DAYS\t$max_days/" "$defs"
else
  printf 'PASS_MAX_DAYS\t%s\n' "$max_days" >> "$defs"
fi

status=0
# Accounts whose password field holds a hash (starts with $): locked and passwordless ones are left alone.
for user in $(awk -F: '$2 ~ /^\$/ { print $1 }' /etc/shadow); do
  current=$(awk -F: -v u="$user" '$1 == u { print $5 }' /etc/shadow)
  if [ -z "$current" ] || [ "$current" -gt "$max_days" ]; then
    chage --maxdays "$max_days" "$user" || status=3
    echo "$user: maximum password age set to $max_days days"
  fi
done
exit $status
