package org.pagechange.examples.testing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The comparison of runs that DeterminismITCase relies on: what it ignores, what it finds. */
class RunOutputTest {

    private static final String A1 = change("a", 1, 10, "2024-01-01T00:00:00Z");
    private static final String A2 = change("a", 1, 11, "2024-01-01T00:00:01Z");
    private static final String B1 = change("b", 2, 20, "2024-01-01T00:00:00Z");

    @Test
    void theInterleavingOfPagesAndTheOrderOfSideOutputsDoNotMatter() {
        RunOutput first = run("first", List.of(A1, A2, B1), List.of("x", "y"));
        RunOutput second = run("second", List.of(B1, A1, A2), List.of("y", "x"));

        RunOutput.assertAllAgree(List.of(first, second), true);
    }

    @Test
    void aPageInAnotherOrderDiffers() {
        RunOutput first = run("first", List.of(A1, A2, B1), List.of());
        RunOutput second = run("second", List.of(A2, A1, B1), List.of());

        assertThatThrownBy(() -> RunOutput.assertAllAgree(List.of(first, second), true))
                .hasMessageContaining("page a/1: sizes 2 and 2, first difference at 0")
                .hasMessageContaining("/revision/rev_id=10 | 11");
    }

    @Test
    void oneFieldDiffersAndIsNamed() {
        String otherTime = A2.replace("00:00:01Z", "00:00:02Z");
        RunOutput first = run("first", List.of(A1, A2), List.of());
        RunOutput second = run("second", List.of(A1, otherTime), List.of());

        assertThat(first.differencesFrom(second, true))
                .singleElement()
                .asString()
                .contains("first difference at 1", "/meta/dt=");
    }

    @Test
    void sideOutputsAreMultisetsAndDeadLettersCanBeLeftOut() {
        RunOutput first = run("first", List.of(A1), List.of("x", "x"));
        RunOutput second = run("second", List.of(A1), List.of("x"));

        assertThat(first.differencesFrom(second, true))
                .containsExactly(
                        "first vs second, late only in the first: x",
                        "first vs second, dead letters only in the first: x");
        RunOutput fewerDeadLetters =
                new RunOutput("third", List.of(A1), List.of("x", "x"), List.of(), List.of());
        assertThat(first.differencesFrom(fewerDeadLetters, false)).isEmpty();
    }

    private static RunOutput run(String name, List<String> changes, List<String> sides) {
        return new RunOutput(name, changes, sides, List.of(), sides);
    }

    private static String change(String wiki, long page, long rev, String dt) {
        return "{\"meta\":{\"dt\":\""
                + dt
                + "\"},\"wiki_id\":\""
                + wiki
                + "\",\"page\":{\"page_id\":"
                + page
                + "},\"revision\":{\"rev_id\":"
                + rev
                + "}}";
    }
}
