package org.pagechange.examples.demo;

import org.pagechange.testkit.workload.TopicRecord;
import org.pagechange.testkit.workload.Truth;
import org.pagechange.testkit.workload.WorkloadGenerator;
import org.pagechange.testkit.workload.WorkloadSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The demo's default workload: the generator's simulated wikis, with their ground truth. */
final class GeneratedDemoWorkload implements DemoWorkload {

    private final List<TopicRecord> records = new ArrayList<>();
    private final Truth truth;
    private final WorkloadSpec spec;

    private GeneratedDemoWorkload(int events, long seed) {
        spec = WorkloadSpec.builder().seed(seed).pageEvents(events).build();
        truth = new WorkloadGenerator(spec).generate(records::add);
    }

    static Factory factory() {
        return GeneratedDemoWorkload::new;
    }

    @Override
    public String description() {
        Truth.Counts counts = truth.counts();
        return counts.pageEvents()
                + " page events on "
                + counts.pages()
                + " pages of "
                + spec.wikis().size()
                + " wikis, with "
                + counts.duplicates()
                + " retries in the other datacenter, "
                + counts.malformed()
                + " malformed records and "
                + counts.canaries()
                + " canaries";
    }

    @Override
    public void publish(Consumer<Event> sink) {
        for (TopicRecord record : records) {
            sink.accept(new Event(record.topic(), record.jsonLine(), record.arrivalTimeMillis()));
        }
    }

    @Override
    public Map<String, List<String>> expectedHistories() {
        Map<String, List<String>> histories = new LinkedHashMap<>();
        for (Truth.PageHistory page : truth.histories()) {
            List<String> steps = new ArrayList<>();
            page.changes().forEach(c -> steps.add(c.kind() + " r" + c.revId()));
            histories.put(page.wikiId() + "/" + page.pageId(), steps);
        }
        return histories;
    }

    @Override
    public int expectedDeadLetters() {
        // Records on a stream the job does not subscribe to never reach it.
        List<String> subscribed = Demo.inputTopics();
        return (int)
                truth.deadLetters().stream().filter(d -> subscribed.contains(d.topic())).count();
    }
}
