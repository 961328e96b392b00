package io.erosengine.core.affinity;

import java.util.Map;
import java.util.Optional;

/**
 * Known gifts and the pushes they give at their reference value.
 */
public record GiftCatalog(Map<String, Entry> entries) {

    /** A catalog gift: pushes at {@code referenceValue}; a gift's value scales them linearly. */
    public record Entry(String id, String label, double referenceValue, AffinityDelta pushes) {}

    /** A small default catalog (rose, coffee, chocolate, flowers, jewelry, ...). */
    public static final GiftCatalog DEFAULT = new GiftCatalog(Map.of()); // TODO(core-logic): fill

    public GiftCatalog { entries = Map.copyOf(entries); }

    public Optional<Entry> find(String id) { return Optional.ofNullable(id == null ? null : entries.get(id)); }
}
