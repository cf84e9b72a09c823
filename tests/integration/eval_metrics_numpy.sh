#!/bin/sh
# eval_metrics_numpy.sh — the 4x4 metrics case recomputed with numpy must
# match the constants checked by tests/unit/eval/test_metrics.c.
PY=/usr/bin/python3
"$PY" -c 'import numpy' 2>/dev/null || { echo "python3-numpy not installed"; exit 77; }
"$PY" tests/unit/eval/metrics_4x4.py || exit 1
"${BUILD:-build}/test-unit" metrics_4x4 | tail -1 | grep -q ' 0 failed' || exit 1
