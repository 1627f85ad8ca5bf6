// The artifacts Flink 2.2's own set (streaming, clients, the Kafka connector, flink-avro) does not
// converge on. 2-consumer excludes exactly these from its convergence check; if Flink's set changes,
// this fails, and the exclusions (and docs/operator.md) must change with it.
def expected = [
        'com.fasterxml.jackson.core:jackson-core',
        'com.fasterxml.jackson.core:jackson-databind',
        'org.apache.commons:commons-lang3'] as Set
def log = new File(basedir, 'build.log').text
def found = (log =~ /Dependency convergence error for ([^:\s]+):([^:\s]+):/).collect { it[1] + ':' + it[2] } as Set
assert found == expected: "Flink's own convergence errors changed: ${found}"
assert new File(basedir, 'target/dependency-tree.txt').isFile()
return true
