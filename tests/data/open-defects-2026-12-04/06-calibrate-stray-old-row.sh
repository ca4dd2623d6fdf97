#!/bin/sh
# 19 days of hourly tickets in 2024 plus ONE row dated 1900 (or 1950/1971/1980):
# calibrate writes NaN for demand.tickets_per_week and fails with "internal error: the calibrated
# scenario does not validate ... <calibrated scenario>:19:20: not valid TOML: invalid float"
# (no CSV row/column named, no fix). With 1990 it instead "succeeds" with growth_per_month = 3.3 (335%/month).
cd "$(dirname "$0")"
timeout 60 /tmp/ss-bin calibrate 06-calibrate-stray-old-row.csv --format zendesk --no-report; echo "exit=$?"
