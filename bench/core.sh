#!/usr/bin/env bash
# Runs the page-change-core benchmarks (JMH) and the state footprint measurement.
#
#   bench/core.sh                 # everything: ReorderBufferBenchmark, ConversionBenchmark, StateFootprint
#   bench/core.sh jmh [args...]   # JMH only; extra args go to org.openjdk.jmh.Main
#                                 #   e.g. bench/core.sh jmh inOrder -prof gc
#   bench/core.sh footprint       # StateFootprint only
#   bench/core.sh conversion [args...]   # ConversionBenchmark: convert, Avro, JSON per event
#
# Needs the core module built once (from a clean clone: ./mvnw -B -q -DskipTests install).
# Works offline after that; it compiles the test classes (which runs the JMH annotation
# processor) and asks Maven for the test classpath.
set -euo pipefail
cd "$(dirname "$0")/.."

what="${1:-all}"
[[ $# -gt 0 ]] && shift

# Offline first (everything is in ~/.m2 after the install); online only if a plugin is missing.
mvn() { ./mvnw -B -q -o "$@" || ./mvnw -B -q "$@"; }

mvn -pl page-change-core test-compile
cpfile=page-change-core/target/bench-classpath.txt
mvn -pl page-change-core dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$(pwd)/${cpfile}"
cp="page-change-core/target/test-classes:page-change-core/target/classes:$(cat "${cpfile}")"


run_jmh() {
    # Annotation defaults: 1 fork, 3 x 2 s warm-up, 10 x 1 s measurement, -Xmx4g.
    java -cp "${cp}" org.openjdk.jmh.Main ReorderBufferBenchmark "$@"
}

run_conversion() {
    java -cp "${cp}" org.openjdk.jmh.Main ConversionBenchmark "$@"
}

run_footprint() {
    # Serial GC and a fixed heap make the used-memory deltas after System.gc() exact.
    java -XX:+UseSerialGC -Xms6g -Xmx6g -cp "${cp}" org.pagechange.core.bench.StateFootprint
}

case "${what}" in
    all) run_jmh "$@"; run_conversion; run_footprint ;;
    jmh) run_jmh "$@" ;;
    footprint) run_footprint ;;
    conversion) run_conversion "$@" ;;
    *) echo "usage: $0 [all|jmh [jmh args...]|footprint|conversion [jmh args...]]" >&2; exit 2 ;;
esac
