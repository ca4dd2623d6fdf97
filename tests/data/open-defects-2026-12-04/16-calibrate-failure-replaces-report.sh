#!/bin/sh
# A calibrate that FAILS (exit 1) because its scenario --out cannot be written still swaps in its
# fit report: an earlier report folder is replaced by the failed run's report, and with the default
# report location a fresh <out>-fit/ folder is left behind.
cd "$(dirname "$0")"
R=/tmp/probe/o16/report; rm -rf /tmp/probe/o16; mkdir -p /tmp/probe/o16/adir
timeout 60 /tmp/ss-bin calibrate 08-calibrate-good.csv --format zendesk --quiet --out /tmp/probe/o16/ok.toml --report $R; echo "first (ok) exit=$?"
md5sum $R/report.html
# same report folder, but the scenario path is a directory -> write fails
timeout 60 /tmp/ss-bin calibrate 16-calibrate-other.csv --format zendesk --quiet --out /tmp/probe/o16/adir --report $R; echo "second (failing) exit=$?"
md5sum $R/report.html          # changed: earlier report destroyed
grep -c "2010-01-01" $R/report.html   # now describes the failed run's export
# default report location: failing run leaves adir-fit/ behind
timeout 60 /tmp/ss-bin calibrate 08-calibrate-good.csv --format zendesk --quiet --out /tmp/probe/o16/adir; echo "third (failing) exit=$?"
ls -d /tmp/probe/o16/adir-fit
