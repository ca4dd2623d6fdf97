#!/bin/sh
# Erlang A with a mean patience <= 1e-20 min: abandonment 0.0% and occupancy 200% (impossible); 1e-19 gives the right 56.4% / 87.2%
timeout 60 /tmp/ss-bin erlang a --arrivals-per-hour 100 --aht-min 6 --agents 5 --patience-min 1e-20; echo "exit=$?"
timeout 60 /tmp/ss-bin erlang a --arrivals-per-hour 100 --aht-min 6 --agents 5 --patience-min 1e-19; echo "exit=$?"
