#!/bin/sh
# validate accepts segments named "P1" (a default priority name) and "all"; with explicit
# priority_names = ["P1",...] the same file is refused ("staffing targets name groups by their bare name").
cd "$(dirname "$0")"
timeout 60 /tmp/ss-bin validate 03-segment-named-like-priority.toml >/dev/null; echo "validate exit=$?"
rm -rf /tmp/probe/o03
timeout 60 /tmp/ss-bin staff 03-segment-named-like-priority.toml --target 'first_response.P1.attainment >= 0.5' --replications 3 --confirm-replications 3 --out /tmp/probe/o03 --quiet; echo "staff exit=$?"
cat /tmp/probe/o03/targets.csv   # silently taken as the priority P1, not the segment P1
