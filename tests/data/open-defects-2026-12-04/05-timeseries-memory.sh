#!/bin/sh
# The bundled tiered file with run.timeseries_interval_min = 0.0505 (validates: ~998k rows < 1e6 limit).
# 2 replications: ~20 s, ~3.0 GB peak RSS, 1.1 GB of outputs (69+ MB report.html), never refused
# by the 2 GB budget. Under `ulimit -v 3000000` it aborts (exit 134, "memory allocation of 683241472
# bytes failed" in csv_bytes/run_outputs) and leaves a .supportsim-staging-* folder beside --out.
cd "$(dirname "$0")"
rm -rf /tmp/probe/o05
/usr/bin/time -f "elapsed %e s, max RSS %M KB" timeout 120 /tmp/ss-bin run 05-timeseries-memory.toml --replications 2 --threads 1 --quiet --out /tmp/probe/o05; echo "exit=$?"
du -sh /tmp/probe/o05
rm -rf /tmp/probe/o05
(ulimit -v 3000000; timeout 120 /tmp/ss-bin run 05-timeseries-memory.toml --replications 2 --threads 1 --quiet --out /tmp/probe/o05 2>&1 | head -3; echo "exit(under ulimit)=$?")
ls -da /tmp/probe/.supportsim-staging-* 2>/dev/null
