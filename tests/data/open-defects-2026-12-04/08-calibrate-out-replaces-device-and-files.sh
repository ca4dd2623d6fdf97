#!/bin/sh
# calibrate --out replaces whatever is at the path, without --force, exit 0:
#  (a) a character device: `--out /dev/null` (as root) turned the system /dev/null into a regular
#      3.8 kB file. Shown here on a private device node instead of the real /dev/null.
#  (b) an existing user file (init refuses the same without --force).
cd "$(dirname "$0")"
D=/tmp/probe/o08; rm -rf $D; mkdir -p $D
mknod -m 666 $D/fakenull c 1 3; ls -l $D/fakenull
timeout 60 /tmp/ss-bin calibrate 08-calibrate-good.csv --format zendesk --quiet --no-report --out $D/fakenull; echo "exit=$?"
ls -l $D/fakenull     # now a regular file
echo "precious user notes" > $D/mine.toml
timeout 60 /tmp/ss-bin calibrate 08-calibrate-good.csv --format zendesk --quiet --no-report --out $D/mine.toml; echo "exit=$?"
grep -c precious $D/mine.toml   # 0: overwritten
# for comparison: init refuses, run refuses
timeout 60 /tmp/ss-bin init --out $D/mine.toml; echo "init exit=$?"
