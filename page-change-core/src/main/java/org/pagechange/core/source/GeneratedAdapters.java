package org.pagechange.core.source;

import org.pagechange.core.model.ContentSlot;
import org.pagechange.core.model.PageUser;

import java.util.List;

import static org.pagechange.core.source.Checks.nonNegative;
import static org.pagechange.core.source.Checks.optionalTime;

/**
 * Reads the fragments of the generated source-event classes into page-change's shapes. The legacy
 * schemas' per-schema {@code Meta} and {@code Performer} classes implement {@link SourceMeta} and
 * {@link LegacyPerformer} (the schemas' {@code javaInterfaces}), so one adapter serves them all;
 * page/change's two user fragments differ in where they are read from.
 */
final class GeneratedAdapters {

    /** The {@code meta} fragment, timestamps still as text. */
    record RawMeta(String id, String dt, String domain, String requestId, String uri) {
        boolean isCanary() {
            return "canary".equals(domain);
        }
    }

    private GeneratedAdapters() {}

    static RawMeta meta(SourceMeta m) {
        return m == null
                ? null
                : new RawMeta(m.getId(), m.getDt(), m.getDomain(), m.getRequestId(), m.getUri());
    }

    static PageUser user(LegacyPerformer p) {
        return p == null
                ? null
                : legacyUser(
                        p.getUserId(),
                        p.getUserText(),
                        p.getUserGroups(),
                        p.getUserIsBot(),
                        p.getUserRegistrationDt(),
                        p.getUserEditCount());
    }

    /** page/change's user entity; {@code field} names it in a rejection (e.g. "performer"). */
    static PageUser user(StateUser u, String field) {
        return u == null
                ? null
                : stateUser(
                        u.getUserId(),
                        u.getUserText(),
                        u.getGroups(),
                        u.getIsBot(),
                        u.getIsSystem(),
                        u.getIsTemp(),
                        u.getRegistrationDt(),
                        u.getEditCount(),
                        field);
    }

    /** The legacy performer fragment: {@code user_*} names, no is_system / is_temp. */
    private static PageUser legacyUser(
            Long id,
            String text,
            List<String> groups,
            Boolean bot,
            String registrationDt,
            Long editCount) {
        return PageUser.newBuilder()
                .setUserId(id)
                .setUserText(text)
                .setGroups(groups == null || groups.isEmpty() ? null : List.copyOf(groups))
                .setIsBot(bot)
                .setRegistrationDt(optionalTime(registrationDt, "performer.user_registration_dt"))
                .setEditCount(nonNegative(editCount, "performer.user_edit_count"))
                .build();
    }

    private static PageUser stateUser(
            Long id,
            String text,
            List<String> groups,
            Boolean bot,
            Boolean system,
            Boolean temp,
            String registrationDt,
            Long editCount,
            String field) {
        return PageUser.newBuilder()
                .setUserId(id)
                .setUserText(text)
                .setGroups(groups == null || groups.isEmpty() ? null : List.copyOf(groups))
                .setIsBot(bot)
                .setIsSystem(system)
                .setIsTemp(temp)
                .setRegistrationDt(optionalTime(registrationDt, field + ".registration_dt"))
                .setEditCount(nonNegative(editCount, field + ".edit_count"))
                .build();
    }

    static ContentSlot slot(
            String role,
            org.pagechange.core.source.schema.mediawiki.revision.create
                            .FragmentMediawikiRevisionSlot
                    s,
            String format) {
        return legacySlot(
                role,
                s.getRevSlotContentModel(),
                format,
                s.getRevSlotSha1(),
                s.getRevSlotSize(),
                s.getRevSlotOriginRevId());
    }

    static ContentSlot slot(
            String role,
            org.pagechange.core.source.schema.mediawiki.revision.create
                            .FragmentMediawikiRevisionSlot__1
                    s) {
        return legacySlot(
                role,
                s.getRevSlotContentModel(),
                null,
                s.getRevSlotSha1(),
                s.getRevSlotSize(),
                s.getRevSlotOriginRevId());
    }

    static ContentSlot legacySlot(
            String role, String model, String format, String sha1, Long size, Long originRevId) {
        String field = "rev_slots." + role;
        return ContentSlot.newBuilder()
                .setSlotRole(role)
                .setContentModel(model)
                .setContentFormat(format)
                .setContentSha1(sha1)
                .setContentSize(nonNegative(size, field + ".rev_slot_size"))
                .setOriginRevId(Checks.optionalId(originRevId, field + ".rev_slot_origin_rev_id"))
                .build();
    }
}
