#!/bin/sh
# timeseries_interval_min = 1 over a 60-day horizon, --xlsx: the whole simulation runs first, then
# "error: table timeseries has 1061280 rows, more than an Excel sheet holds" (exit 1). The row
# count is known from the file before any work; with more replications the wasted time grows
# (about 4 s here for 200 replications on one thread; 20000 replications are minutes of work thrown away).
cd "$(dirname "$0")"
rm -rf /tmp/probe/o10
/usr/bin/time -f "elapsed %e s, max RSS %M KB" timeout 120 /tmp/ss-bin run 10-xlsx-late-failure.toml --replications 200 --threads 1 --quiet --xlsx --out /tmp/probe/o10; echo "exit=$?"
