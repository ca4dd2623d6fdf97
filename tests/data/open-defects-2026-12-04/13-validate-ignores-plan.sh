#!/bin/sh
# mmc.toml plus a [plan] table where every value is invalid (19 months > 18, growth 1000, training -4
# weeks, attrition 200% for an undefined pool, a garbage target, 0 replications).
# `validate` (and `run`) report "valid scenario", exit 0; only `plan` refuses, one problem at a time,
# and the bad file target is reported as if it were a command-line `--target "garbage"`.
cd "$(dirname "$0")"
timeout 60 /tmp/ss-bin validate 13-validate-ignores-plan.toml | head -1; echo "validate exit=$?"
timeout 60 /tmp/ss-bin plan 13-validate-ignores-plan.toml --quiet --out /tmp/probe/o13; echo "plan exit=$?"
# same for [sweep]: vary = ["garbage", "pools.nobody.headcount=1,2"] validates; sweep refuses it
timeout 60 /tmp/ss-bin validate 13b-validate-ignores-sweep.toml | head -1
timeout 60 /tmp/ss-bin sweep 13b-validate-ignores-sweep.toml --replications 2 --quiet --out /tmp/probe/o13s; echo "sweep exit=$?"
