#!/bin/sh
# The file measures 28 days = 4 whole weeks (valid: --week 1..4). --week 5 is refused with a
# message that names the wrong week ("week 4"), tells the user to "choose a week below 4" (week 4
# is valid) and to "lengthen run.horizon_days to at least 7" (it is 28; week 5 needs 35).
timeout 60 /tmp/ss-bin requirements /work/main/scenarios/saas-midmarket-tiered.toml --week 5 --quiet --out /tmp/probe/o12; echo "exit=$?"
timeout 60 /tmp/ss-bin requirements /work/main/scenarios/saas-midmarket-tiered.toml --week 4 --quiet --out /tmp/probe/o12; echo "exit=$? (week 4 is accepted)"
timeout 60 /tmp/ss-bin roster /work/main/scenarios/saas-midmarket-tiered.toml --target 'abandonment <= 0.5' --week 5 --quiet --out /tmp/probe/o12r; echo "roster exit=$?"
