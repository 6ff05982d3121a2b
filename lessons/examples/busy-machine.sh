#!/usr/bin/env bash
# Appendix A, "A busy machine": the bare training step of the tutorial's CIFAR-10 model while 0, 1 and 2
# other programs keep a core busy each (here: shell loops), with the engine's default threads, with
# OpenMP told to spin less before it sleeps (GOMP_SPINCOUNT=1000), and with one thread.
# Run from the project's folder: bash lessons/examples/busy-machine.sh
set -u
step() { # prints the median ms a step of one bench run, with the settings given
  env "$@" ./jbang bench --model cifar10 --path step --steps 60 --warmup 10 --rounds 1 2>&1 \
    | grep "ms/step (round" | head -1 | awk '{print $3}'
}
loops=""
trap 'kill $loops 2>/dev/null' EXIT INT TERM # the busy loops end with the script, even on Ctrl-C
echo "busy cores,default,GOMP_SPINCOUNT=1000,--threads 1 (ms a step; median of 60 steps)"
for round in 1 2 3 4; do
  for busy in 0 1 2; do
    loops=""
    for _ in $(seq 1 "$busy"); do (while :; do :; done) & loops="$loops $!"; done
    sleep 1
    echo "$busy,$(step LESSON=A),$(step GOMP_SPINCOUNT=1000),$(step OMP_NUM_THREADS=1)"
    [ -n "$loops" ] && kill $loops
    wait 2>/dev/null
  done
done
