package org.pagechange.core.source;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written $schema and wiki id checks accept and reject exactly what a regex would. */
class ChecksTest {

    private static final String TITLE = "mediawiki/revision/create";
    private static final Set<Integer> MAJORS = Set.of(1, 2);

    /** The reference: the regex the schema check used before it was written out by hand. */
    private static String expectedSchemaOutcome(String uri) {
        int at = uri.indexOf("/" + TITLE + "/");
        if (at < 0) {
            return "$schema '" + uri + "' is not " + TITLE;
        }
        Matcher version =
                Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)")
                        .matcher(uri.substring(at + TITLE.length() + 2));
        if (!version.matches()) {
            return "$schema '" + uri + "' has no X.Y.Z version";
        }
        int major;
        try {
            major = Integer.parseInt(version.group(1));
        } catch (NumberFormatException e) {
            major = -1;
        }
        return MAJORS.contains(major)
                ? "accepted"
                : "$schema '"
                        + uri
                        + "' has major version "
                        + version.group(1)
                        + "; supported: "
                        + MAJORS;
    }

    @Test
    void schemaCheckMatchesTheRegex() {
        for (String uri :
                List.of(
                        "/mediawiki/revision/create/2.0.0",
                        "/mediawiki/revision/create/1.1.0",
                        "https://schema.wikimedia.org/repositories/primary/jsonschema/mediawiki/revision/create/2.0.0",
                        "/mediawiki/revision/create/3.0.0",
                        "/mediawiki/revision/create/02.0.0",
                        "/mediawiki/revision/create/99999999999.0.0",
                        "/mediawiki/revision/create/2.0",
                        "/mediawiki/revision/create/2.0.0.1",
                        "/mediawiki/revision/create/2..0",
                        "/mediawiki/revision/create/.0.0",
                        "/mediawiki/revision/create/2.0.0/",
                        "/mediawiki/revision/create/2.0.x",
                        "/mediawiki/revision/create/latest",
                        "/mediawiki/revision/create/",
                        "/mediawiki/revision/create",
                        "mediawiki/revision/create/2.0.0",
                        "/xmediawiki/revision/create/2.0.0",
                        "/mediawiki/revision/createx/2.0.0",
                        "/mediawiki/revision/create/mediawiki/revision/create/2.0.0",
                        "/a/mediawiki/revision/create/1.0.0/mediawiki/revision/create/2.0.0",
                        "/mediawiki/page/delete/1.0.0",
                        "/mediawiki/revision/create/\u0662.0.0",
                        "")) {
            assertThat(outcome(() -> Checks.schema(uri, TITLE, MAJORS)))
                    .as(uri)
                    .isEqualTo(expectedSchemaOutcome(uri));
        }
    }

    @Test
    void wikiIdsAreOnlyLowerCaseLettersDigitsAndUnderscores() {
        for (String ok : List.of("enwiki", "zh_min_nanwiki", "be_x_oldwiki", "a1")) {
            assertThat(Checks.wikiId(ok, "wiki_id")).isEqualTo(ok);
        }
        for (String bad :
                List.of("EnWiki", "en.wikipedia", "en-wiki", "énwiki", "en wiki", "en/1")) {
            assertThat(outcome(() -> Checks.wikiId(bad, "wiki_id")))
                    .isEqualTo(
                            "wiki_id '" + bad + "' is not a wiki database name (only [a-z0-9_])");
        }
    }

    /** "accepted", or the rejection's reason. */
    private static String outcome(Runnable check) {
        try {
            check.run();
            return "accepted";
        } catch (SourceRejection r) {
            return r.getMessage();
        }
    }
}
