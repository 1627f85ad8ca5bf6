#!/usr/bin/env bash
# Runs the job-level benchmark (the POC jar's 'bench' subcommand) with RocksDB available.
#
#   bench/job.sh                                 # as 'java -jar page-change-poc.jar bench'
#   bench/job.sh --state-backend rocksdb         # the keyed variants on RocksDB
#   bench/job.sh --input /tmp/w2m --rounds 3     # any 'bench' option, see --help
#
# The jar does not bundle RocksDB (a 52 MB native library, which a cluster has in lib/); this
# script adds flink-statebackend-rocksdb and its native library from the local Maven repository,
# as a cluster would. It packages the jar first.
set -euo pipefail
cd "$(dirname "$0")/.."

# Offline first (everything is in ~/.m2 after a build); online only if something is missing.
mvn() { ./mvnw -B -q -o "$@" || ./mvnw -B -q "$@"; }

jar=page-change-examples/target/page-change-poc.jar
cpfile=page-change-examples/target/rocksdb-classpath.txt
# Packages the jar (quick when it is up to date) and, in the same reactor, lists the RocksDB jars.
mvn -pl page-change-examples -am -DskipTests package dependency:build-classpath \
    -DincludeScope=provided -DincludeArtifactIds=flink-statebackend-rocksdb,frocksdbjni,flink-table-api-java-bridge,flink-table-api-java,flink-table-common,flink-cep,flink-table-api-bridge-base,flink-table-planner-loader,flink-table-runtime \
    -Dmdep.outputFile=target/rocksdb-classpath.txt

exec java -cp "${jar}:$(cat "${cpfile}")" org.pagechange.examples.PageChangePoc bench "$@"
