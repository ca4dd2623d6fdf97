#!/bin/sh
# one "Total time spent (sec)" value of 1e308 (a finite number): calibrate accepts the row, then
# fails with "internal error ... tiers[0].work_time.email.mean_min: integer number overflowed"
# instead of naming row 5, column "Total time spent (sec)" as a bad row (skippable with --max-bad-rows).
cd "$(dirname "$0")"
timeout 60 /tmp/ss-bin calibrate 07-calibrate-huge-work-time.csv --format zendesk --no-report >/dev/null; echo "exit=$?"
timeout 60 /tmp/ss-bin calibrate 07-calibrate-huge-work-time.csv --format zendesk --no-report --max-bad-rows 5 >/dev/null; echo "exit=$?"
