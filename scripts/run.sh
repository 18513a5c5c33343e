#!/usr/bin/env bash
# `make run`: a local broker (TCP and websockets, loopback only) and the built app, served
# as GitHub Pages would serve it. Ctrl-C stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/.."

MQTT_PORT=${MQTT_PORT:-1883}
WS_PORT=${WS_PORT:-9001}
HTTP_PORT=${HTTP_PORT:-8080}
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)

for port in "$MQTT_PORT" "$WS_PORT" "$HTTP_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is already in use. Choose others: MQTT_PORT=.. WS_PORT=.. HTTP_PORT=.. make run" >&2
    exit 1
  fi
done

workdir=$(mktemp -d)
pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$workdir"
  echo "Stopped."
}
trap cleanup INT TERM EXIT

cat > "$workdir/mosquitto.conf" <<CONF
# Loopback only: mosquitto 2.0 ignores an address on a websockets listener, an interface works.
listener $MQTT_PORT 127.0.0.1
listener $WS_PORT lo
protocol websockets
allow_anonymous true
persistence false
log_dest stdout
CONF
"$MOSQUITTO" -c "$workdir/mosquitto.conf" > "$workdir/mosquitto.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$MQTT_PORT") 2>/dev/null && break; sleep 0.1; done

# The virtual device: telemetry and obedient actuators under tablero/demo, which the demo
# dashboard is bound to.
target/release/tablero device -h 127.0.0.1 -p "$MQTT_PORT" --prefix tablero/demo > "$workdir/device.log" 2>&1 &
pids+=($!)

# PAGES_PATH=<repo> (`make pages-preview`): the app under a sub-path, as a GitHub Pages project
# site serves it (https://<user>.github.io/<repo>/).
site=dist
app_path=/
if [ -n "${PAGES_PATH:-}" ]; then
  site="$workdir/site"
  mkdir -p "$site"
  ln -s "$PWD/dist" "$site/$PAGES_PATH"
  app_path="/$PAGES_PATH/"
fi
python3 -m http.server "$HTTP_PORT" --bind 127.0.0.1 --directory "$site" > "$workdir/http.log" 2>&1 &
pids+=($!)

sleep 0.5
for pid in "${pids[@]}"; do
  kill -0 "$pid" 2>/dev/null || { echo "A process failed to start:"; cat "$workdir"/*.log; exit 1; }
done

cat <<MSG

  Tablero is running.

    App:     http://127.0.0.1:$HTTP_PORT$app_path?broker=ws://127.0.0.1:$WS_PORT
    Broker:  mqtt://127.0.0.1:$MQTT_PORT   ws://127.0.0.1:$WS_PORT
    Device:  tablero device, publishing under tablero/demo (relay, led, fan, dimmer obey /set)

  Try:  target/release/tablero sub -h 127.0.0.1 -p $MQTT_PORT -t 'tablero/demo/#' -v

  Ctrl-C stops everything.
MSG
wait
