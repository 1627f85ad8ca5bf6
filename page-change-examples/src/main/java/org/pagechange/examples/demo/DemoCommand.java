package org.pagechange.examples.demo;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/** The {@code demo} command: broker, workload, job, read-back and summary, in five steps. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs page-change end to end on this machine: starts a Kafka broker (a child process on"
                    + " 127.0.0.1), publishes a workload to the eqiad./codfw. topics, runs the job"
                    + " on a local Flink MiniCluster, reads the consolidated topic back"
                    + " (read_committed) and compares every page's history with the ground truth.",
            "Exit codes: 0 all good, 1 the demo failed, 2 the output differs from the ground truth."
        })
public final class DemoCommand implements Callable<Integer> {

    /** Exit code when the output does not match the ground truth. */
    public static final int EXIT_MISMATCH = 2;

    /** Exit code when a step fails. */
    public static final int EXIT_FAILURE = 1;

    @Option(
            names = "--events",
            defaultValue = "20000",
            description =
                    "About how many events the workload generator makes (default ${DEFAULT-VALUE}).")
    int events;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed of the workload generator (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--output-topic",
            defaultValue = Demo.DEFAULT_OUTPUT_TOPIC,
            description = "The consolidated topic (default ${DEFAULT-VALUE}).")
    String outputTopic;

    @Option(
            names = "--pages",
            defaultValue = "3",
            description =
                    "How many of the busiest pages' histories to print (default ${DEFAULT-VALUE}).")
    int pages;

    @Option(
            names = "--keep-broker",
            description =
                    "Keep the broker running after the summary until Enter or Ctrl-C, to look at the topics.")
    boolean keepBroker;

    @Option(
            names = "--broker-timeout",
            defaultValue = "90",
            description = "Seconds to wait for the broker to answer (default ${DEFAULT-VALUE}).")
    int brokerTimeoutSeconds;

    @Option(
            names = "--job-timeout",
            defaultValue = "600",
            description = "Seconds to wait for the job to finish (default ${DEFAULT-VALUE}).")
    int jobTimeoutSeconds;

    @Spec CommandSpec spec;

    private final DemoWorkload.Factory workloads;
    private final DemoJob job;

    /**
     * The demo with the default workload and job ({@link Demo#defaultWorkload()}, {@link
     * Demo#defaultJob()}).
     */
    public DemoCommand() {
        this(Demo.defaultWorkload(), Demo.defaultJob());
    }

    /** The demo with the given workload and job. */
    public DemoCommand(DemoWorkload.Factory workloads, DemoJob job) {
        this.workloads = workloads;
        this.job = job;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();
        LocalKafkaBroker broker = null;
        String step = "starting the Kafka broker";
        try {
            out.print("[1/5] starting a Kafka broker on 127.0.0.1 ... ");
            out.flush();
            broker = LocalKafkaBroker.start(Duration.ofSeconds(brokerTimeoutSeconds));
            out.printf(
                    "ready on %s in %.1f s (pid %d%s)%n",
                    broker.bootstrapServers(),
                    broker.startupTime().toMillis() / 1000.0,
                    broker.pid(),
                    broker.residentSetBytes().stream()
                            .mapToObj(b -> ", RSS " + (b >> 20) + " MB")
                            .findFirst()
                            .orElse(""));

            step = "publishing the workload";
            long t = System.nanoTime();
            DemoWorkload workload = workloads.create(events, seed);
            List<String> outputTopics = Demo.outputTopics(outputTopic);
            Set<String> created = new LinkedHashSet<>(Demo.inputTopics());
            created.addAll(outputTopics);
            broker.createTopics(created, 1);
            Published published = publish(broker, workload, created);
            out.printf(
                    "[2/5] published %d events from %s to %d topics in %.1f s%n",
                    published.events(),
                    workload.description(),
                    published.topics().size(),
                    seconds(t));

            step = "running the job";
            out.print("[3/5] running the page-change job on a local Flink MiniCluster ... ");
            out.flush();
            t = System.nanoTime();
            runJob(broker.bootstrapServers());
            out.printf("done in %.1f s%n", seconds(t));

            step = "reading the output";
            t = System.nanoTime();
            Map<String, List<DemoSummary.Record>> read =
                    readAll(broker.bootstrapServers(), outputTopics, Duration.ofSeconds(60));
            List<DemoSummary.Record> changes = read.get(outputTopics.get(0));
            out.printf(
                    "[4/5] read %d changes from %s (read_committed) and %d side records in %.1f s%n",
                    changes.size(),
                    outputTopic,
                    read.values().stream().mapToInt(List::size).sum() - changes.size(),
                    seconds(t));

            step = "comparing with the ground truth";
            DemoSummary summary =
                    DemoSummary.of(
                            new DemoSummary.Input(
                                    published.events(),
                                    published.topics().size(),
                                    changes,
                                    read.get(outputTopics.get(1)),
                                    read.get(outputTopics.get(2)),
                                    read.get(outputTopics.get(3)),
                                    workload.expectedHistories(),
                                    workload.expectedDeadLetters()));
            out.printf(
                    "[5/5] compared %d pages with the ground truth%n%n",
                    workload.expectedHistories().size());
            out.print(summary.format(pages));
            out.println();
            out.flush();

            if (keepBroker) {
                keepRunning(broker, out);
            }
            List<String> problems = summary.problems();
            closeBroker(broker, out);
            broker = null;
            if (!problems.isEmpty()) {
                err.printf(
                        "demo FAILED after %.1f s: %s%n",
                        seconds(started), String.join("; ", problems));
                return EXIT_MISMATCH;
            }
            out.printf("demo OK in %.1f s%n", seconds(started));
            return 0;
        } catch (Exception e) {
            out.println();
            out.flush();
            err.printf("demo FAILED while %s: %s%n", step, causes(e));
            return EXIT_FAILURE;
        } finally {
            if (broker != null) {
                closeBroker(broker, out);
            }
        }
    }

    /** How many events went to which topics. */
    private record Published(int events, Set<String> topics) {}

    private static Published publish(
            LocalKafkaBroker broker, DemoWorkload workload, Set<String> existing) throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // One request in flight keeps each topic's records in send order even with retries: the
        // arrival order is the point of the workload. Not idempotence: against a broker whose
        // topics were created a moment ago, its sequence numbers were seen to get out of step
        // (OutOfOrderSequenceException on the first batch, retried until the delivery timeout).
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // Fail the step with the broker's error rather than retry forever.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        AtomicReference<Exception> failure = new AtomicReference<>();
        Set<String> topics = new LinkedHashSet<>();
        Set<String> known = new HashSet<>(existing);
        int[] count = {0};
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            workload.publish(
                    e -> {
                        if (known.add(e.topic())) {
                            // A topic outside the standard set: auto-creation is off, so create it.
                            try {
                                broker.createTopics(e.topic());
                            } catch (IOException x) {
                                throw new UncheckedIOException(x);
                            }
                        }
                        Long timestamp = e.arrivalTimeMillis() > 0 ? e.arrivalTimeMillis() : null;
                        producer.send(
                                new ProducerRecord<>(e.topic(), null, timestamp, null, e.value()),
                                (metadata, x) -> {
                                    if (x != null) {
                                        failure.compareAndSet(null, x);
                                    }
                                });
                        topics.add(e.topic());
                        count[0]++;
                    });
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IOException("could not publish the workload", failure.get());
        }
        return new Published(count[0], topics);
    }

    private void runJob(String bootstrapServers) throws Exception {
        FutureTask<Void> task =
                new FutureTask<>(
                        () -> {
                            job.run(bootstrapServers, outputTopic);
                            return null;
                        });
        // A daemon thread: a job that ignores the interrupt after a timeout must not keep the JVM.
        Thread thread = new Thread(task, "demo-job");
        thread.setDaemon(true);
        thread.start();
        try {
            task.get(jobTimeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new TimeoutException(
                    "the job did not finish within " + jobTimeoutSeconds + " s (--job-timeout)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Reads every record of {@code topics} from the beginning to the end with {@code
     * read_committed}: only what the job's transactions committed. Records stay in partition order,
     * which is each page's order.
     */
    static Map<String, List<DemoSummary.Record>> readAll(
            String bootstrapServers, List<String> topics, Duration timeout)
            throws TimeoutException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        Map<String, List<DemoSummary.Record>> byTopic = new LinkedHashMap<>();
        topics.forEach(t -> byTopic.put(t, new ArrayList<>()));
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            Map<TopicPartition, Long> end =
                    stableEndOffsets(consumer, config, partitions, deadline);
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(
                            "could not read "
                                    + topics
                                    + " to the end within "
                                    + timeout.toSeconds()
                                    + " s");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    byTopic.get(r.topic()).add(new DemoSummary.Record(r.key(), r.value()));
                }
            }
        }
        return byTopic;
    }

    /**
     * The last stable offsets (read_committed), once they have caught up with the high watermarks:
     * a producer's commit returns before the coordinator has written the commit markers, and until
     * then the stable offsets still hide the committed records. An open transaction that never ends
     * would keep them behind: then, after a few seconds, what is stable is read.
     */
    private static Map<TopicPartition, Long> stableEndOffsets(
            KafkaConsumer<String, String> consumer,
            Map<String, Object> config,
            List<TopicPartition> partitions,
            long deadline)
            throws TimeoutException {
        Map<String, Object> uncommitted = new LinkedHashMap<>(config);
        uncommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        long settle = Math.min(deadline, System.nanoTime() + Duration.ofSeconds(10).toNanos());
        try (KafkaConsumer<String, String> highWatermarks =
                new KafkaConsumer<>(
                        uncommitted, new StringDeserializer(), new StringDeserializer())) {
            Map<TopicPartition, Long> high =
                    highWatermarks.endOffsets(partitions, Duration.ofSeconds(30));
            while (true) {
                Map<TopicPartition, Long> stable =
                        consumer.endOffsets(partitions, Duration.ofSeconds(30));
                if (stable.equals(high) || System.nanoTime() > settle) {
                    return stable;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TimeoutException("interrupted while waiting for commit markers");
                }
            }
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static void keepRunning(LocalKafkaBroker broker, PrintWriter out)
            throws IOException, InterruptedException {
        out.printf(
                "the broker keeps running on %s (pid %d); press Enter or Ctrl-C to stop it%n",
                broker.bootstrapServers(), broker.pid());
        out.flush();
        if (System.in.read() < 0) {
            // No console to press Enter in: wait for Ctrl-C, whose shutdown hook stops the broker.
            new CountDownLatch(1).await();
        }
    }

    private static void closeBroker(LocalKafkaBroker broker, PrintWriter out) {
        long t = System.nanoTime();
        broker.close();
        out.printf(
                "stopped the broker (pid %d) in %.1f s and deleted %s%n",
                broker.pid(), seconds(t), broker.directory());
        out.flush();
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    /** The messages of an exception and its causes, without repeats. */
    static String causes(Throwable e) {
        Set<String> messages = new LinkedHashSet<>();
        for (Throwable t = e; t != null && messages.size() < 6; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (messages.stream().noneMatch(prev -> prev.contains(m))) {
                messages.add(m);
            }
        }
        return String.join(": ", messages);
    }
}
