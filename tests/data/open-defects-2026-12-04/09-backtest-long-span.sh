#!/bin/sh
# A two-row export spanning 2000..2024: backtest blames the scenario file's run.horizon_days
# ("is 8764 ... use a smaller value"), a key the file sets to 7; the real cause is the export's
# date span (or a stray old row), which the message never mentions.
cd "$(dirname "$0")"
timeout 60 /tmp/ss-bin backtest /work/main/scenarios/mmc.toml 09-backtest-long-span.csv --format zendesk --quiet --out /tmp/probe/o09; echo "exit=$?"
