#!/usr/bin/env bash
# Measures sharing events through Redis (docs/scale-out.md): latency of two sample apps
# against one, what one Redis carries, and the stream's memory. About 3 minutes.
#   benchmarks/run-scale-out.sh [--clients=1000] [--latency=false]   # the latter: throughput and memory only
# With --publish first, measures only publishing: 1, 16 and 64 threads through the relay
# next to pipelined XADD on the same Redis (PublishThroughputRun). About a minute.
#   benchmarks/run-scale-out.sh --publish [--rounds=3] [--seconds=3]
# With --handover first, measures a graceful shutdown: 5000 clients of one of two instances
# resume on the other, with and without sse.broadcast.shutdown.reconnect-spread
# (ShutdownHandoverRun). About 2 minutes a run.
#   benchmarks/run-scale-out.sh --handover [--clients=5000] [--runs=3] [--spreads=10s,0]
set -euo pipefail
cd "$(dirname "$0")/.."
MAIN=dev.ssebroadcast.benchmarks.load.ScaleOutRun
if [ "${1:-}" = "--publish" ]; then
	MAIN=dev.ssebroadcast.benchmarks.load.PublishThroughputRun
	shift
elif [ "${1:-}" = "--handover" ]; then
	MAIN=dev.ssebroadcast.benchmarks.load.ShutdownHandoverRun
	shift
fi

JAVA_HOME="${BENCH_JAVA_HOME:-$(ls -d /usr/lib/jvm/*/ | sort -V | while read -r jdk; do
	if [ -x "$jdk/bin/jcmd" ] && "$jdk/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then echo "${jdk%/}"; fi
done | tail -1)}"
JAVA="$JAVA_HOME/bin/java"

./mvnw -B -q package -DskipTests -pl sample-app,benchmarks -am
# redis-server from the PATH, else the one the tests use (shipped in embedded-redis).
REDIS="$(command -v redis-server || true)"
if [ -z "$REDIS" ]; then
	./mvnw -B -q dependency:copy -Dartifact=com.github.codemonstur:embedded-redis:1.4.3 -DoutputDirectory=benchmarks/target
	unzip -o -q benchmarks/target/embedded-redis-1.4.3.jar redis-server-6.2.6-v5-linux-amd64 -d benchmarks/target
	REDIS=benchmarks/target/redis-server-6.2.6-v5-linux-amd64
	chmod +x "$REDIS"
fi
SAMPLE_JAR="$(ls sample-app/target/sample-app-*.jar | grep -v original | head -1)"

echo "Load before: $(uptime)"
"$JAVA" -Xms256m -Xmx3g -XX:+UseG1GC -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
	"$MAIN" --sample-jar="$SAMPLE_JAR" --redis-server="$REDIS" "$@"
echo "Load after: $(uptime)"
