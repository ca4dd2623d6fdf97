#!/bin/sh
# negative value as a separate word: clap says "unexpected argument '-5' found" (no mention of the value being negative)
timeout 60 /tmp/ss-bin erlang c --arrivals-per-hour -5 --aht-min 6 --agents 12; echo "exit=$?"
# with '=': error names an internal field (arrival_rate_per_min), and a per-minute value the user never typed
timeout 60 /tmp/ss-bin erlang c --arrivals-per-hour=-5 --aht-min 6 --agents 12; echo "exit=$?"
# --target-sec nan -> "target_min must be finite" (wrong name and unit)
timeout 60 /tmp/ss-bin erlang c --arrivals-per-hour 100 --aht-min 6 --agents 12 --target-sec nan; echo "exit=$?"
# --aht-min 0 -> "mean_service_min must be positive"; --service-level 1 -> "target_service_level must lie in [0, 1)"
timeout 60 /tmp/ss-bin erlang c --arrivals-per-hour 100 --aht-min 0 --agents 12; echo "exit=$?"
timeout 60 /tmp/ss-bin erlang c --arrivals-per-hour 100 --aht-min 6 --service-level 1; echo "exit=$?"
