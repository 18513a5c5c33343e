#!/usr/bin/env bash
# tablero bench against mosquitto's own clients, on one loopback mosquitto, in one run.
#
# Usage: scripts/cli-bench.sh OUT.md [N]
#
# Starts mosquitto on a free loopback port, then for QoS 0 and 1 (best of 3 rounds each):
#   - `tablero bench --mode both`: N messages of 64 B as fast as possible; its JSON gives the
#     publish rate and the receive rate (both measured from the first publish);
#   - the peer: mosquitto_sub -C N started and subscribed first, then mosquitto_pub
#     publishing N messages of 64 B as fast as it can; publish rate = N / mosquitto_pub's
#     run time, receive rate = N / (time from mosquitto_pub's start to mosquitto_sub's exit).
# and writes a markdown table of ratios (tablero msg/s ÷ mosquitto msg/s) to OUT.md.
#
# mosquitto_pub's fastest mode is `-l` (one message per stdin line), but at QoS 1 mosquitto
# 2.0 exits at end of input with most messages still unsent, so N never arrive; at QoS 1
# the peer is therefore `--repeat N --repeat-delay 0`, the mode that delivers all N. The
# broker gets `max_queued_messages 0` so that neither side's QoS 1 messages are dropped
# when a subscriber falls behind (mosquitto's default drops beyond 1000 queued).
set -euo pipefail

out=${1:?usage: scripts/cli-bench.sh OUT.md [N]}
N=${2:-100000}
ROUNDS=3
SIZE=64
cd "$(dirname "$0")/.."
root=$PWD
case $out in /*) ;; *) out=$root/$out ;; esac
export PATH=/usr/sbin:/sbin:$PATH

for prog in mosquitto mosquitto_pub mosquitto_sub awk timeout; do
  command -v "$prog" >/dev/null || {
    echo "cli-bench: $prog is missing (apt-get install -y mosquitto mosquitto-clients)" >&2
    exit 1
  }
done

cargo build --release -p tablero-cli --quiet
T=$root/target/release/tablero

dir=$(mktemp -d)
broker_pid=
cleanup() {
  if [[ -n $broker_pid ]]; then kill "$broker_pid" 2>/dev/null || true; wait "$broker_pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A free port, and a broker on it; retried if another process takes the port first.
for attempt in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 40000))
  port_in_use "$port" && continue
  cat >"$dir/mosquitto.conf" <<EOF
listener $port 127.0.0.1
allow_anonymous true
max_queued_messages 0
user root
log_dest file $dir/mosquitto.log
log_type error
log_type warning
log_type notice
log_type information
log_type subscribe
EOF
  : >"$dir/mosquitto.log"
  mosquitto -c "$dir/mosquitto.conf" >"$dir/stdio.log" 2>&1 &
  broker_pid=$!
  for _ in $(seq 100); do
    port_in_use "$port" && break
    kill -0 "$broker_pid" 2>/dev/null || break
    sleep 0.05
  done
  if port_in_use "$port" && kill -0 "$broker_pid" 2>/dev/null; then break; fi
  kill "$broker_pid" 2>/dev/null || true; wait "$broker_pid" 2>/dev/null || true
  broker_pid=
done
[[ -n $broker_pid ]] || { echo "cli-bench: mosquitto did not start" >&2; cat "$dir/stdio.log" >&2; exit 1; }
version=$(mosquitto -h 2>/dev/null | awk '/version/ {print $3; exit}' || true)

payload=$(printf '%*s' "$SIZE" '' | tr ' ' x)
yes "$payload" | head -n "$N" >"$dir/lines" || true

now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { d = b - a; printf "%.0f", (d > 0 ? n / d : 0) }'; }
json_field() { grep -o "\"$1\":[-0-9.]*" | head -1 | cut -d: -f2; }
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 > b + 0 ? a : b) }'; }

# tablero bench, one round: prints "pub_rate recv_rate lost p50 p99".
tablero_round() {
  local q=$1 j
  j=$("$T" bench -h 127.0.0.1 -p "$port" -q "$q" --count "$N" --size "$SIZE" --rate 0 \
    -t "bench/tablero/$q/$RANDOM" --json)
  echo "$(json_field pub_rate <<<"$j") $(json_field recv_rate <<<"$j") $(json_field lost <<<"$j")" \
    "$(json_field p50 <<<"$j") $(json_field p99 <<<"$j")"
}

# mosquitto_pub + mosquitto_sub, one round: prints "pub_rate recv_rate received".
peer_round() {
  local q=$1 id="peer-$q-$RANDOM" topic="bench/peer/$q/$RANDOM" t0 t1 t2 got
  rm -f "$dir/sub_end" "$dir/sub_count"
  (
    timeout 120 mosquitto_sub -h 127.0.0.1 -p "$port" -i "$id" -t "$topic" -q "$q" -C "$N" \
      | wc -l >"$dir/sub_count"
    now >"$dir/sub_end"
  ) &
  local sub=$!
  # Subscribed once the broker logs the subscription.
  for _ in $(seq 200); do
    grep -q " $id $q $topic" "$dir/mosquitto.log" && break
    sleep 0.05
  done
  t0=$(now)
  if [[ $q == 0 ]]; then
    mosquitto_pub -h 127.0.0.1 -p "$port" -t "$topic" -q 0 -l <"$dir/lines"
  else
    mosquitto_pub -h 127.0.0.1 -p "$port" -t "$topic" -q "$q" -m "$payload" --repeat "$N" --repeat-delay 0
  fi
  t1=$(now)
  wait "$sub" || true
  t2=$(cat "$dir/sub_end")
  got=$(tr -d ' ' <"$dir/sub_count")
  echo "$(rate "$N" "$t0" "$t1") $(rate "$got" "$t0" "$t2") $got"
}

declare -A best
for q in 0 1; do
  tp=0 tr=0 tl=0 tp50= tp99= pp=0 pr=0 pgot=$N
  for round in $(seq "$ROUNDS"); do
    read -r a b lost p50 p99 < <(tablero_round "$q")
    echo "round $round QoS $q: tablero pub $a/s recv $b/s lost $lost p50 ${p50} ms p99 ${p99} ms" >&2
    [[ $(max "$a" "$tp") == "$a" ]] && tp=$a
    if [[ $(max "$b" "$tr") == "$b" ]]; then tr=$b tp50=$p50 tp99=$p99; fi
    tl=$(max "$lost" "$tl")
    read -r c d got < <(peer_round "$q")
    echo "round $round QoS $q: mosquitto pub $c/s sub $d/s (received $got of $N)" >&2
    [[ $(max "$c" "$pp") == "$c" ]] && pp=$c
    [[ $(max "$d" "$pr") == "$d" ]] && pr=$d
    (( got < pgot )) && pgot=$got
  done
  best[$q,tp]=$tp best[$q,tr]=$tr best[$q,tl]=$tl best[$q,p50]=$tp50 best[$q,p99]=$tp99
  best[$q,pp]=$pp best[$q,pr]=$pr best[$q,pgot]=$pgot
done

# mosquitto_pub -l at QoS 1, for the record: how much of N it actually delivers.
lq1_topic="bench/peer-l/$RANDOM"
( timeout 30 mosquitto_sub -h 127.0.0.1 -p "$port" -i "peer-l-$RANDOM" -t "$lq1_topic" -q 1 -W 5 2>/dev/null \
  | wc -l >"$dir/l_count" ) &
lsub=$!
sleep 1
mosquitto_pub -h 127.0.0.1 -p "$port" -t "$lq1_topic" -q 1 -l <"$dir/lines"
wait "$lsub" || true
l_got=$(tr -d ' ' <"$dir/l_count")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "n/a" }'; }
fmt() { awk -v a="$1" 'BEGIN { printf "%\047.0f", a }' 2>/dev/null || echo "$1"; }

{
  echo "# tablero CLI vs mosquitto clients"
  echo
  echo "Loopback mosquitto ${version:-?} (\`max_queued_messages 0\`), $N messages of $SIZE B per run, best of $ROUNDS rounds;"
  echo "$(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ). tablero: \`tablero bench --mode both --rate 0\` (release build);"
  echo "peer: \`mosquitto_sub -C $N\` subscribed first, then \`mosquitto_pub\` (QoS 0: \`-l\`, QoS 1: \`--repeat $N --repeat-delay 0\`)."
  echo
  echo "| QoS | rate | tablero msg/s | mosquitto msg/s | ratio (target ≥ 1.0×) |"
  echo "|---|---|---:|---:|---:|"
  for q in 0 1; do
    echo "| $q | publish | $(fmt "${best[$q,tp]}") | $(fmt "${best[$q,pp]}") | $(ratio "${best[$q,tp]}" "${best[$q,pp]}") |"
    echo "| $q | receive | $(fmt "${best[$q,tr]}") | $(fmt "${best[$q,pr]}") | $(ratio "${best[$q,tr]}" "${best[$q,pr]}") |"
  done
  echo
  echo "- tablero lost ${best[0,tl]} (QoS 0) and ${best[1,tl]} (QoS 1) messages at most in any round;" \
    "mosquitto_sub received at least ${best[0,pgot]} (QoS 0) and ${best[1,pgot]} (QoS 1) of $N."
  echo "- tablero end-to-end latency in the best receive round: QoS 0 p50 ${best[0,p50]} ms, p99 ${best[0,p99]} ms;" \
    "QoS 1 p50 ${best[1,p50]} ms, p99 ${best[1,p99]} ms (as fast as possible, so this is mostly queueing)."
  echo "- \`mosquitto_pub -l -q 1\` with $N lines delivered $l_got of $N messages (it exits with messages unsent),"
  echo "  which is why the QoS 1 peer uses \`--repeat\`."
} >"$out"
cat "$out"
