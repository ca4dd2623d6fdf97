#!/bin/sh
# Validation messages that leak library internals, give no allowed range/fix, or repeat:
cd "$(dirname "$0")"
# (a) gamma cv = 1e-160 -> "scale is not positive in gamma distribution", printed 3 times, no range/fix
timeout 60 /tmp/ss-bin validate 14a-gamma-tiny-cv.toml; echo "exit=$?"
# (b) start_date 9999-12-31 -> jiff overflow text "parameter 'Unix timestamp seconds' is not in the
#     required range of -377705023201..=253402207200" (no supported date range, no fix)
timeout 60 /tmp/ss-bin validate 14b-far-start-date.toml; echo "exit=$?"
# (c) one NaN mean_min -> the same problem listed 3 times ("3 problems")
timeout 60 /tmp/ss-bin validate 14c-nan-repeated.toml; echo "exit=$?"
# (d) start_date 9999-11-20 (valid date) + 56-day run: blamed on calendars[0] ("cannot build the
#     calendar: ... timestamp overflowed"), not on run.start_date / the run's length
timeout 60 /tmp/ss-bin validate 14d-run-past-9999.toml; echo "exit=$?"
