// 1. page-change adds no conflict: every artifact the consumer resolves that Flink's own set
//    (1-flink-only) also has comes in no version Flink's set does not already bring. The enforcer
//    check (which excludes Flink's own conflicts) covers the artifacts Flink does not have.
// 2. The job, run from the shaded jar on Flink's class path, wrote exactly the expected output.
def versions = { File tree ->
    def found = [:].withDefault { [] as Set }
    tree.eachLine { line ->
        def m = line =~ /([\w.\-]+):([\w.\-]+):(?:jar|pom|test-jar):(?:[\w.\-]+:)?([\w.\-]+):(?:compile|provided|runtime|test|system)/
        if (m.find()) {
            found[m.group(1) + ':' + m.group(2)] << m.group(3)
        }
    }
    found
}
def flinkTree = new File(basedir, '../1-flink-only/target/dependency-tree.txt')
assert flinkTree.isFile(): "1-flink-only must run first: ${flinkTree}"
def flink = versions(flinkTree)
def consumer = versions(new File(basedir, 'target/dependency-tree.txt'))
assert consumer.containsKey('org.pagechange:page-change-flink')
def added = consumer.findAll { ga, vs -> flink.containsKey(ga) && !flink[ga].containsAll(vs) }
assert added.isEmpty(): "page-change brings versions Flink's own set does not: " +
        added.collect { ga, vs -> "${ga} ${vs - flink[ga]} (Flink: ${flink[ga]})" }
println "page-change adds no version of Flink's ${flink.size()} artifacts; " +
        "its own: ${(consumer.keySet() - flink.keySet()).sort()}"

def shaded = new File(basedir, 'target/page-change-consumer-1.0.jar')
assert shaded.isFile()
println "shaded jar: ${shaded.length()} bytes"
def expected = new File(basedir, 'expected-output.txt').text
def actual = new File(basedir, 'target/output.txt').text
if (actual != expected) {
    def a = actual.readLines(), e = expected.readLines()
    def first = (0..<Math.max(a.size(), e.size())).find { a[it] != e[it] }
    assert false: "output differs from expected-output.txt at line ${first + 1}:\n" +
            "expected: ${e[first]}\nactual:   ${a[first]}"
}
return true
