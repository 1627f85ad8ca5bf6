package org.pagechange.examples.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the local job keeps its checkpoints, and which one it resumes from. */
class RecoveryTest {

    @TempDir Path tmp;

    @Test
    void theDefaultDirectoryFollowsTheOutputAndTheGroup() {
        JobOptions a = JobOptions.builder().input("in").output("/data/out").build();
        JobOptions sameAgain = JobOptions.builder().input("other").output("/data/out").build();
        JobOptions otherGroup =
                JobOptions.builder().input("in").output("/data/out").groupId("g2").build();
        JobOptions otherOutput = JobOptions.builder().input("in").output("/data/out2").build();

        Path dir = Recovery.defaultDirectory(a);

        assertThat(dir.getParent())
                .isEqualTo(Path.of(System.getProperty("user.home"), Recovery.DEFAULT_ROOT));
        assertThat(dir.getFileName().toString()).matches("out-page-change-poc-[0-9a-f]{12}");
        assertThat(Recovery.defaultDirectory(sameAgain)).isEqualTo(dir);
        assertThat(Recovery.defaultDirectory(otherGroup)).isNotEqualTo(dir);
        assertThat(Recovery.defaultDirectory(otherOutput)).isNotEqualTo(dir);
    }

    @Test
    void resumesFromTheNewestCheckpointWithMetadataAcrossJobs() throws Exception {
        Path older =
                checkpoint(
                        "0123456789abcdef0123456789abcdef",
                        7,
                        Instant.parse("2026-01-01T00:00:00Z"));
        Path newer =
                checkpoint(
                        "fedcba9876543210fedcba9876543210",
                        3,
                        Instant.parse("2026-01-01T00:01:00Z"));
        // Interrupted by the crash: no metadata, however new.
        Files.createDirectories(tmp.resolve("fedcba9876543210fedcba9876543210/chk-4"));
        // Not Flink's layout.
        Files.createDirectories(tmp.resolve("notes/chk-99"));
        Files.writeString(tmp.resolve("notes/chk-99/_metadata"), "x");

        Recovery.Checkpoint latest = Recovery.latestCheckpoint(tmp).orElseThrow();

        assertThat(latest.path()).isEqualTo(newer);
        assertThat(latest.id()).isEqualTo(3);
        assertThat(older).exists();
        assertThat(Recovery.latestCheckpoint(tmp.resolve("none"))).isEmpty();
    }

    @Test
    void theLocalJobNeedsALocalDirectory() {
        assertThat(Recovery.localDirectory("file:///tmp/cp")).isEqualTo(Path.of("/tmp/cp"));
        assertThatThrownBy(() -> Recovery.localDirectory("s3://bucket/cp"))
                .hasMessageContaining("--checkpoint-dir 's3://bucket/cp'")
                .hasMessageContaining("local file system");
    }

    private Path checkpoint(String job, long id, Instant completed) throws Exception {
        Path chk = Files.createDirectories(tmp.resolve(job).resolve("chk-" + id));
        Path metadata = Files.writeString(chk.resolve("_metadata"), "metadata");
        Files.setLastModifiedTime(metadata, FileTime.from(completed));
        return chk;
    }
}
