#!/usr/bin/env bash
# Runs the side-by-side comparison and the JMH fan-out benchmark, and writes
# benchmarks/results/{results.json,results.md,results.svg,jmh.json}.
#   benchmarks/run.sh                      # everything (about 10 minutes)
#   benchmarks/run.sh --clients=1000 --servers=reference,sample-app   # a subset
#   SKIP_JMH=1 benchmarks/run.sh           # the comparison only
set -euo pipefail
cd "$(dirname "$0")/.."

# The newest installed JDK runs every JVM (load tool and servers alike).
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
OUT=benchmarks/results
mkdir -p "$OUT"

echo "Load before: $(uptime)"
if [ -z "${SKIP_JMH:-}" ]; then
	"$JAVA" -cp "$CLASSES:$CLASSPATH_DEPS" org.openjdk.jmh.Main FanOutBenchmark \
		-prof gc -rf json -rff "$OUT/jmh.json"
fi
"$JAVA" -cp "$CLASSES:$CLASSPATH_DEPS" dev.ssebroadcast.benchmarks.compare.Comparison \
	--classes="$CLASSES" --classpath="$CLASSPATH_DEPS" --sample-jar="$SAMPLE_JAR" \
	--jetty-classpath="$(cat benchmarks/target/jetty-classpath.txt)" --out="$OUT" "$@"
echo "Load after: $(uptime)"
