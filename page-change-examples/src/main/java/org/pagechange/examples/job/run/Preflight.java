package org.pagechange.examples.job.run;

import org.pagechange.flink.eventstreams.EventStreamsSource;

import org.apache.flink.connector.kafka.source.KafkaSourceOptions;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks made before the job is submitted, so that a setting that can never work ends the run at
 * once with a message instead of failing every task attempt: the Kafka client properties (through
 * Kafka's own {@code ConfigDef} validation), whether the brokers answer, whether the input
 * directory can be read and the output directory written. Each check throws a {@link Failure} with
 * the message to print and the exit code.
 */
public final class Preflight {

    /** How long the brokers get to answer a describe-cluster request. */
    public static final Duration BROKER_TIMEOUT = Duration.ofSeconds(10);

    /** Properties of Flink's Kafka source that are not Kafka client properties. */
    private static final Set<String> FLINK_SOURCE_PROPERTIES =
            Set.of(
                    KafkaSourceOptions.CLIENT_ID_PREFIX.key(),
                    KafkaSourceOptions.PARTITION_DISCOVERY_INTERVAL_MS.key(),
                    KafkaSourceOptions.REGISTER_KAFKA_CONSUMER_METRICS.key(),
                    KafkaSourceOptions.COMMIT_OFFSETS_ON_CHECKPOINT.key());

    private Preflight() {}

    /** A check that failed: what to print, and the exit code. */
    public static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final int exitCode;

        Failure(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /**
     * Validates the properties every Kafka client gets, as the consumer, the producer and the admin
     * client parse them: an unknown key (a typo would silently drop a security setting) or a value
     * Kafka rejects is a usage error ({@link ExitCodes#USAGE}).
     *
     * @param user the {@code --kafka-property} values
     * @param producer what the sinks' producers get (the job's defaults and {@code user})
     * @param exactlyOnce whether the producers are transactional
     */
    public static void kafkaProperties(
            Map<String, String> user, Properties producer, boolean exactlyOnce) throws Failure {
        Set<String> unknown = new TreeSet<>();
        for (String key : user.keySet()) {
            if (!ConsumerConfig.configNames().contains(key)
                    && !ProducerConfig.configNames().contains(key)
                    && !AdminClientConfig.configNames().contains(key)
                    && !FLINK_SOURCE_PROPERTIES.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new Failure(
                    ExitCodes.USAGE,
                    "--kafka-property: unknown Kafka client propert"
                            + (unknown.size() == 1 ? "y " : "ies ")
                            + unknown
                            + " (not a consumer, producer or admin client setting)");
        }
        Map<String, Object> consumer = new HashMap<>(user);
        FLINK_SOURCE_PROPERTIES.forEach(consumer::remove);
        consumer.putIfAbsent(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        // As the Kafka source sets them.
        consumer.put(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        consumer.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        Map<String, Object> producerConf = new HashMap<>();
        producer.forEach((k, v) -> producerConf.put((String) k, v));
        FLINK_SOURCE_PROPERTIES.forEach(producerConf::remove);
        producerConf.putIfAbsent(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        producerConf.put(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerConf.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        if (exactlyOnce) {
            // As the exactly-once sink sets them: a transactional producer needs idempotence.
            producerConf.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "page-change-preflight");
        }
        try {
            new ConsumerConfig(consumer);
            new AdminClientConfig(withoutSourceProperties(user));
        } catch (ConfigException e) {
            throw new Failure(ExitCodes.USAGE, "--kafka-property: " + e.getMessage());
        }
        try {
            new ProducerConfig(producerConf);
        } catch (ConfigException e) {
            throw new Failure(
                    ExitCodes.USAGE,
                    "--kafka-property: "
                            + e.getMessage()
                            + (exactlyOnce
                                    ? " (the sinks' producers are transactional with --delivery"
                                            + " exactly-once)"
                                    : ""));
        }
    }

    private static Map<String, Object> withoutSourceProperties(Map<String, String> user) {
        Map<String, Object> m = new HashMap<>(user);
        FLINK_SOURCE_PROPERTIES.forEach(m::remove);
        m.putIfAbsent(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        return m;
    }

    /**
     * Asks the brokers to describe the cluster, with the client properties the job uses (security
     * included, so a broken SASL or TLS setup fails here), within {@link #BROKER_TIMEOUT}.
     */
    public static void brokersAnswer(String bootstrapServers, Map<String, String> user)
            throws Failure {
        Map<String, Object> conf = withoutSourceProperties(user);
        conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        conf.put(AdminClientConfig.CLIENT_ID_CONFIG, "page-change-preflight-" + UUID.randomUUID());
        int timeout = (int) BROKER_TIMEOUT.toMillis();
        conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        String where = "the Kafka brokers at " + bootstrapServers;
        Admin admin;
        try {
            admin = Admin.create(conf);
        } catch (KafkaException e) {
            throw new Failure(
                    ExitCodes.ENVIRONMENT,
                    "cannot connect to " + where + ": " + RootCause.oneLine(e));
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeout))
                    .nodes()
                    .get(timeout + 1000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            String reason =
                    cause instanceof org.apache.kafka.common.errors.TimeoutException
                                    || cause instanceof TimeoutException
                            ? "no answer within "
                                    + BROKER_TIMEOUT.toSeconds()
                                    + " s (are the brokers up and the address and"
                                    + " security.protocol right?)"
                            : RootCause.oneLine(cause);
            throw new Failure(ExitCodes.ENVIRONMENT, "cannot reach " + where + ": " + reason);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(ExitCodes.ENVIRONMENT, "interrupted while contacting " + where);
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    /**
     * Opens the EventStreams connection the source will open, with its {@code User-Agent}, and
     * closes it once the answer's headers arrive: a wrong URL, an unknown stream or a refusal ends
     * the run here ({@link ExitCodes#ENVIRONMENT}) instead of failing every attempt of the job. A
     * 429 or 5xx passes: the source waits it out and retries, as it does while running.
     */
    public static void eventStreamsAnswer(EventStreamsSource source) throws Failure {
        String where = "EventStreams at " + source.streamUri();
        HttpClient client =
                HttpClient.newBuilder()
                        .connectTimeout(BROKER_TIMEOUT)
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build();
        HttpRequest request =
                HttpRequest.newBuilder(source.streamUri())
                        .header("Accept", "text/event-stream")
                        .header("User-Agent", source.userAgent())
                        .timeout(BROKER_TIMEOUT)
                        .GET()
                        .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new Failure(
                    ExitCodes.ENVIRONMENT, "cannot reach " + where + ": " + RootCause.oneLine(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(ExitCodes.ENVIRONMENT, "interrupted while contacting " + where);
        }
        int status = response.statusCode();
        String body = "";
        try (InputStream in = response.body()) {
            if (status != 200) {
                body = new String(in.readNBytes(300), StandardCharsets.UTF_8).strip();
            }
        } catch (IOException e) {
            // Closing a stream that is still open: nothing to report.
        }
        if (status != 200 && status != 429 && status < 500) {
            throw new Failure(
                    ExitCodes.ENVIRONMENT,
                    where
                            + " answered HTTP "
                            + status
                            + (body.isEmpty() ? "" : ": " + body)
                            + " (are the URL and --streams right? docs/eventstreams.md lists the"
                            + " public streams)");
        }
    }

    /**
     * The input directory exists, is a directory, can be listed, holds at least one {@code *.jsonl}
     * file, and every such file can be opened.
     */
    public static void inputDirectory(String input) throws Failure {
        String what = "--input " + input;
        try {
            Path dir = new Path(input);
            FileSystem fs = dir.getFileSystem();
            if (!fs.exists(dir)) {
                throw new Failure(ExitCodes.ENVIRONMENT, what + ": no such directory");
            }
            FileStatus status = fs.getFileStatus(dir);
            if (!status.isDir()) {
                throw new Failure(ExitCodes.ENVIRONMENT, what + ": not a directory");
            }
            FileStatus[] files = fs.listStatus(dir);
            if (files == null) {
                throw new Failure(ExitCodes.ENVIRONMENT, what + ": cannot list the directory");
            }
            List<Path> jsonl = new ArrayList<>();
            for (FileStatus f : files) {
                if (f.getPath().getName().endsWith(".jsonl")) {
                    jsonl.add(f.getPath());
                }
            }
            if (jsonl.isEmpty()) {
                throw new Failure(
                        ExitCodes.ENVIRONMENT,
                        what
                                + ": no *.jsonl files (one file per topic, e.g."
                                + " eqiad.mediawiki.page-move.jsonl)");
            }
            for (Path p : jsonl) {
                try (InputStream in = fs.open(p)) {
                    // Opened: readable. Reading a byte also fails on a directory named *.jsonl.
                    in.read();
                } catch (IOException e) {
                    throw new Failure(
                            ExitCodes.ENVIRONMENT,
                            what + ": cannot read " + p + ": " + RootCause.oneLine(e));
                }
            }
        } catch (IOException e) {
            throw new Failure(ExitCodes.ENVIRONMENT, what + ": " + RootCause.oneLine(e));
        }
    }

    /** The output directory exists or can be created, and a file can be written in it. */
    public static void outputDirectory(String output) throws Failure {
        String what = "--output " + output;
        try {
            Path dir = new Path(output);
            FileSystem fs = dir.getFileSystem();
            if (fs.exists(dir) && !fs.getFileStatus(dir).isDir()) {
                throw new Failure(ExitCodes.ENVIRONMENT, what + ": not a directory");
            }
            if (!fs.mkdirs(dir)) {
                throw new Failure(ExitCodes.ENVIRONMENT, what + ": cannot create the directory");
            }
            Path probe = new Path(dir, ".page-change-write-check-" + UUID.randomUUID());
            try {
                fs.create(probe, FileSystem.WriteMode.NO_OVERWRITE).close();
            } finally {
                fs.delete(probe, false);
            }
        } catch (IOException e) {
            throw new Failure(
                    ExitCodes.ENVIRONMENT, what + ": not writable: " + RootCause.oneLine(e));
        }
    }
}
