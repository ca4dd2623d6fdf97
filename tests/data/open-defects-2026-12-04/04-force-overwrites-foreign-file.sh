#!/bin/sh
# The refusal lists summary.csv as a file "supportsim did not write" and says --force will
# "keep these files"; with --force the user's own summary.csv and report.html are overwritten.
D=/tmp/probe/o04; rm -rf $D; mkdir -p $D
echo "MY OWN DATA" > $D/summary.csv; echo "mine" > $D/report.html
timeout 60 /tmp/ss-bin run /work/main/scenarios/mmc.toml --replications 2 --quiet --out $D; echo "exit=$?"
timeout 60 /tmp/ss-bin run /work/main/scenarios/mmc.toml --replications 2 --quiet --out $D --force; echo "exit=$?"
head -c 60 $D/summary.csv; echo; grep -c "MY OWN DATA" $D/summary.csv
