#!/bin/sh
# bench/audit.sh [N] — the audit trail at scale (bench/audit_bench.c):
# append N records (default 1,000,000), verify, cut the older half under a
# signed checkpoint, verify again; then the same file through sha256sum and
# cp, what an administrator would otherwise run to check or rotate a log.
# Results: bench/README-audit.md.
set -eu
N=${1:-1000000}
make -s -j2 build/audit_bench
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
build/audit_bench "$T/town.db" "$N"
cp "$T/town.db.audit" "$T/copy"   # the cut trail (half); time the whole-file tools on it
/usr/bin/time -f "sha256sum    %e s (kept half)" sha256sum "$T/copy" >/dev/null
/usr/bin/time -f "cp           %e s (kept half)" cp "$T/copy" "$T/copy2"
/usr/bin/time -f "vigie audit verify %e s (kept half, CLI)" build/vigie audit verify --db "$T/town.db" >/dev/null
