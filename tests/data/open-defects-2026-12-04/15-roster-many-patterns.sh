#!/bin/sh
# A [roster] allowing 96 starts x 4 lengths x 3 day sets = 1152 patterns (validate: OK).
# roster fails with "the rostered scenario does not validate: <file>: pools[0].shifts: has 1152
# shifts; at most 1000 are supported" -- blaming pools[0].shifts, which has 2 shifts in the file,
# instead of naming [roster] (start_step_min / lengths_hours / days) and the pattern limit.
cd "$(dirname "$0")"
timeout 60 /tmp/ss-bin validate 15-roster-many-patterns.toml >/dev/null 2>&1; echo "validate exit=$?"
timeout 60 /tmp/ss-bin roster 15-roster-many-patterns.toml --target 'abandonment <= 0.5' --replications 2 --confirm-replications 2 --quiet --out /tmp/probe/o15; echo "roster exit=$?"
