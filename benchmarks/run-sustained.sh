#!/usr/bin/env bash
# Latency while events keep coming (issue: sustained publishing): each server at each N,
# events published at 10, 25 and 50 per second whatever the deliveries, three rounds.
# Writes benchmarks/results/sustained.{json,md,svg}. About 25 minutes with the defaults.
#   benchmarks/run-sustained.sh                                              # everything
#   benchmarks/run-sustained.sh --clients=5000 --rates=25 --rounds=1 --servers=sample-app,webflux
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME="${BENCH_JAVA_HOME:-$(ls -d /usr/lib/jvm/*/ | sort -V | while read -r jdk; do
	if [ -x "$jdk/bin/jcmd" ] && "$jdk/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then echo "${jdk%/}"; fi
done | tail -1)}"
if [ -z "$JAVA_HOME" ]; then
	echo "No JDK 21 or newer (with jcmd) found under /usr/lib/jvm; set BENCH_JAVA_HOME." >&2
	exit 1
fi
JAVA="$JAVA_HOME/bin/java"

./mvnw -B -q package -DskipTests -pl sample-app,benchmarks -am
CLASSES=benchmarks/target/classes
CLASSPATH_DEPS="$(cat benchmarks/target/classpath.txt)"
SAMPLE_JAR="$(ls sample-app/target/sample-app-*.jar | grep -v original | head -1)"

echo "Load before: $(uptime)"
"$JAVA" -cp "$CLASSES:$CLASSPATH_DEPS" dev.ssebroadcast.benchmarks.compare.SustainedComparison \
	--classes="$CLASSES" --classpath="$CLASSPATH_DEPS" --sample-jar="$SAMPLE_JAR" \
	--jetty-classpath="$(cat benchmarks/target/jetty-classpath.txt)" --out=benchmarks/results "$@"
echo "Load after: $(uptime)"
