#!/bin/sh
# init turns ordinary user input into "internal error: the starter scenario does not validate (please report)":
mkdir -p /tmp/probe/o11 && cd /tmp/probe/o11
# (a) a tiny positive volume passes the flag check ("must be a number above 0") and is then rounded to 0
timeout 60 /tmp/ss-bin init --force --tickets-per-week 1e-300 --out t.toml; echo "exit=$?"
# (b) an output file name that is not a valid scenario name (space, unicode, >64 chars, ".toml"):
timeout 60 /tmp/ss-bin init --force --out 'my starter.toml'; echo "exit=$?"
timeout 60 /tmp/ss-bin init --force --out 'équipe.toml'; echo "exit=$?"
timeout 60 /tmp/ss-bin init --force --out .toml; echo "exit=$?"
# (c) the same for calibrate --name (the --out stem is sanitised, --name is not)
timeout 60 /tmp/ss-bin calibrate tests/data/open-defects-2026-12-04/08-calibrate-good.csv --format zendesk --quiet --no-report --name "a b" >/dev/null; echo "exit=$?"
