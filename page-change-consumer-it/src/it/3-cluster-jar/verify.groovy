// The cluster jar's job wrote 2-consumer's expected changes (each page's in order; pages may sit in
// either subtask's part file) and one dead letter.
def jsonOf = { String line -> line.substring(line.indexOf('} {') + 2) }
def expected = new File(basedir, '../2-consumer/expected-output.txt').readLines()
        .findAll { it.startsWith('change ') }.collect(jsonOf)
def perPage = { List<String> lines ->
    lines.groupBy { (it =~ /"page_id":(\d+)/)[0][1] }
}
def parts = { String dir ->
    def folder = new File(basedir, "target/out/${dir}")
    (folder.listFiles() ?: []).findAll { !it.name.startsWith('.') }.sort { it.name }
}
def changes = parts('page-change').collectMany { it.readLines() }
assert perPage(changes) == perPage(expected): "changes differ:\n${changes.join('\n')}"
def deadLetters = parts('dead-letter').collectMany { it.readLines() }
assert deadLetters.size() == 1 && deadLetters[0].contains('malformed JSON'): deadLetters
def jar = new File(basedir, '../../../../page-change-examples/target').listFiles()
        .find { it.name.endsWith('-cluster.jar') }
println "cluster jar: ${jar.name}, ${jar.length()} bytes"
return true
