#!/usr/bin/env bash
# OpenDKIM as a baseline: verify every .eml in DIR with `opendkim -t`, keys
# from a keys.zone converted to OpenDKIM's TestPublicKeys file (TXT records
# only; one process per message, as opendkim -t takes one file). Prints a
# count of verified / failed to stderr.
#   bench/opendkim_check.sh --keys KEYS.zone DIR
set -euo pipefail
[ "${1:-}" = "--keys" ] || { echo "usage: $0 --keys KEYS.zone DIR" >&2; exit 2; }
zone=$2 dir=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$zone" "$tmp/keys.txt" <<'PY'
import re, sys
out = []
for line in open(sys.argv[1]):
    m = re.match(r'\s*(\S+)\s+(?:\d+\s+)?(?:IN\s+)?TXT\s+(.*)$', line)
    if m:
        data = ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2)))
        out.append(f"{m.group(1).rstrip('.')} {data}")
open(sys.argv[2], 'w').write('\n'.join(out) + '\n')
PY
printf 'Mode v\nTestPublicKeys %s\nSyslog no\n' "$tmp/keys.txt" > "$tmp/opendkim.conf"
ok=0 bad=0
for f in "$dir"/*.eml; do
  if opendkim -x "$tmp/opendkim.conf" -t "$f" 2>&1 | grep -q ') succeeded'; then
    ok=$((ok + 1))
  else
    bad=$((bad + 1))
  fi
done
echo "opendkim: $ok verified, $bad not" >&2
