package org.pagechange.core.reorder;

import org.pagechange.core.model.Page;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether two events of one source at one position are copies of one event (a duplicate) or two
 * different events (a conflict), and where they differ.
 *
 * <p>Same content means: the converted change is equal in every field but {@code meta}. A retry is
 * byte-identical, so its change is equal; the other datacenter's copy differs only where it was
 * read from (topic, partition, offset, which are not in the change) and possibly in {@code meta}
 * (EventGate's intake time), which is therefore left out. When the buffered event was merged with
 * another source's (a page-create with its revision-create, a page-move with its null revision),
 * its change carries fields of both, so only what both sources state identically is compared: the
 * page's title and namespace.
 *
 * <p>Cost: a field-by-field comparison of two small records, only for an event whose position and
 * source are already buffered. A copy of a change already released is compared by {@link #identity}
 * only, a fingerprint of title and namespace that the page remembers.
 */
final class CopyContent {

    private static final int META = PageChange.SCHEMA$.getField("meta").pos();

    private CopyContent() {}

    /**
     * The paths of the fields in which {@code copy} differs from {@code buffered} (e.g. {@code
     * page.page_title}), empty when it is the same event.
     */
    static List<String> differences(PageEvent buffered, PageEvent copy) {
        List<String> out = new ArrayList<>(2);
        if (buffered.getMergedSources() == copy.getMergedSources()) {
            compare("", buffered.getChange(), copy.getChange(), META, out);
        } else {
            Page a = buffered.getChange().getPage();
            Page b = copy.getChange().getPage();
            if (!Objects.equals(a.getPageTitle(), b.getPageTitle())) {
                out.add("page.page_title");
            }
            if (!Objects.equals(a.getNamespaceId(), b.getNamespaceId())) {
                out.add("page.namespace_id");
            }
        }
        return out;
    }

    /**
     * A 16-bit fingerprint (1 to 65535) of the page title and namespace the event states: what a
     * page remembers of a released change to tell a later copy that names another page (a conflict)
     * from a true copy, in two bytes of state. It is computed for every released change, so it
     * reads at most 8 of the title's characters (the first three, three spread over the middle, the
     * last two) with its length and namespace, not the whole title: String's own hash is not cached
     * on a title just deserialized, and hashing whole titles cost 5% of the consolidation's time.
     * Titles that differ only elsewhere escape it, as do 1 in 65,536 others. Deterministic across
     * JVMs.
     */
    static int identity(PageEvent event) {
        Page page = event.getChange().getPage();
        String title = page.getPageTitle();
        int h = Objects.hashCode(page.getNamespaceId());
        if (title != null) {
            int n = title.length();
            h = 31 * h + n;
            h = mix(mix(mix(h, title, 0), title, 1), title, 2);
            h = mix(mix(mix(h, title, n / 4), title, n / 2), title, (3 * n) / 4);
            h = mix(mix(h, title, n - 2), title, n - 1);
        }
        h *= 0x9E3779B1; // spread the low bits before folding
        int folded = (h ^ (h >>> 16)) & 0xFFFF;
        return folded == 0 ? 1 : folded;
    }

    private static int mix(int h, String title, int i) {
        return 31 * h + (i >= 0 && i < title.length() ? title.charAt(i) : 0);
    }

    /** Compares field by field, one level into nested records so the reason can name a field. */
    private static void compare(
            String prefix, SpecificRecord a, SpecificRecord b, int skip, List<String> out) {
        for (Schema.Field f : a.getSchema().getFields()) {
            int i = f.pos();
            if (i == skip) {
                continue;
            }
            Object x = a.get(i);
            Object y = b.get(i);
            if (Objects.equals(x, y)) {
                continue;
            }
            if (prefix.isEmpty()
                    && x instanceof SpecificRecord rx
                    && y instanceof SpecificRecord ry) {
                compare(f.name() + ".", rx, ry, -1, out);
            } else {
                out.add(prefix + f.name());
            }
        }
    }
}
