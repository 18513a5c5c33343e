#!/bin/sh
# Instructions per packet, ours and mqttbytes, for every case of benches/codec.rs, counted
# by callgrind (repeatable on a loaded machine, unlike timings). Usage, from the workspace
# root:
#   sh crates/mqtt-codec-wasm/benches/profile.sh [ITERATIONS] [CASE...]
# Output: one line per case and operation; the callgrind files stay in $OUT (default
# /tmp/codec-profile) for `callgrind_annotate --inclusive=yes --tree=calling FILE`.
set -eu
iterations=${1:-2000}
[ $# -gt 0 ] && shift
cases=${*:-"connect_v5_properties publish_v4_qos1_16B publish_v4_qos1_1KiB publish_v4_qos1_64KiB publish_v5_qos1_16B publish_v5_qos1_1KiB publish_v5_qos1_64KiB subscribe_v4_10_filters subscribe_v5_10_filters"}
out=${OUT:-/tmp/codec-profile}
mkdir -p "$out"
bin=$(cargo bench -p mqtt-codec-wasm --bench codec --locked --no-run --message-format=json 2>/dev/null \
    | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
printf '%-26s %-7s %12s %12s %7s\n' case op ours mqttbytes ratio
for case in $cases; do
    file="$out/$case.callgrind"
    CODEC_PROFILE="$case,$iterations" valgrind --tool=callgrind --dump-instr=no \
        --callgrind-out-file="$file" "$bin" >/dev/null 2>&1
    callgrind_annotate --inclusive=yes --threshold=100 "$file" 2>/dev/null | awk -v n="$iterations" -v c="$case" '
        / \?\?\?:codec::profile_(de|en)code_(ours|theirs) / {
            count = $1; gsub(",", "", count)
            match($0, /profile_[a-z]+_[a-z]+/); f = substr($0, RSTART + 8, RLENGTH - 8)
            v[f] = count / n
        }
        END {
            for (op = 0; op < 2; op++) {
                o = op ? "encode" : "decode"
                printf "%-26s %-7s %12.0f %12.0f %7.2f\n", c, o, v[o "_ours"], v[o "_theirs"], v[o "_theirs"] / v[o "_ours"]
            }
        }'
done
