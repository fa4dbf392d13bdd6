#!/usr/bin/env bash
# The baseline for apply: what a person scripts from the seed's sample, one curl per script, one
# after the other. Usage: curl-loop.sh BASE_URL BODIES_DIR (one JSON create body per file).
# Prints one HTTP status per script.
set -eu
base_url=$1
bodies=$2
token=$(curl -sS -X POST "$base_url/auth" --data-urlencode username=demo --data-urlencode password=demo --data token=true)
for body in "$bodies"/*.json; do
  curl -sS -o /dev/null -w '%{http_code}\n' -X POST "$base_url/sm/v5/script" \
    --header 'Accept: application/vnd.qualys.car.api.v5.0+json' \
    --header "Authorization: Bearer $token" \
    --header 'Content-Type: application/json' \
    --data-binary "@$body"
done
