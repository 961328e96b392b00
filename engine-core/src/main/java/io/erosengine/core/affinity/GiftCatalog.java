package io.erosengine.core.affinity;

import io.erosengine.core.model.Checks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Known gifts and the pushes they give at their reference value. Immutable and thread-safe.
 *
 * @param entries the gifts by id (each key equals its entry's id)
 */
public record GiftCatalog(Map<String, Entry> entries) {

    /**
     * A catalog gift: pushes at {@code referenceValue}; a gift's value scales them linearly.
     *
     * @param referenceValue the value at which {@code pushes} apply unscaled, > 0
     */
    public record Entry(String id, String label, double referenceValue, AffinityDelta pushes) {
        public Entry {
            Checks.requireText(id, "gift id");
            Checks.requireText(label, "gift label");
            if (!(referenceValue > 0) || !Double.isFinite(referenceValue)) {
                throw new IllegalArgumentException("gift reference value must be finite and > 0, got " + referenceValue);
            }
            Checks.required(pushes, "gift pushes");
        }
    }

    /**
     * A small default catalog, values in the same abstract units (a coffee is 1). Pushes are given
     * at the reference value and are further capped by {@link AffinityPolicy#giftCapPerAxis()}.
     */
    public static final GiftCatalog DEFAULT = of(List.of(
            new Entry("coffee", "a cup of coffee", 1, new AffinityDelta(0.03, 0.01, 0.01, 0, 0.01, 0)),
            new Entry("rose", "a red rose", 2, new AffinityDelta(0.05, 0, 0.02, 0.03, 0, 0)),
            new Entry("chocolate", "a box of chocolates", 3, new AffinityDelta(0.06, 0.01, 0, 0.02, 0.01, 0)),
            new Entry("flowers", "a bouquet of flowers", 5, new AffinityDelta(0.08, 0.02, 0.02, 0.04, 0, 0)),
            new Entry("teddy_bear", "a teddy bear", 5, new AffinityDelta(0.08, 0.03, 0, 0.03, 0.02, 0)),
            new Entry("jewelry", "a piece of jewelry", 20, new AffinityDelta(0.12, 0.03, 0.04, 0.08, 0, 0.02))));

    public GiftCatalog {
        entries = Map.copyOf(Checks.required(entries, "gift catalog entries"));
        entries.forEach((id, entry) -> {
            if (!id.equals(entry.id())) throw new IllegalArgumentException("gift catalog key " + id + " != entry id " + entry.id());
        });
    }

    /** A catalog from entries keyed by their ids; throws IllegalArgumentException on a duplicate id. */
    public static GiftCatalog of(List<Entry> entries) {
        Map<String, Entry> byId = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (byId.put(e.id(), e) != null) throw new IllegalArgumentException("duplicate gift id " + e.id());
        }
        return new GiftCatalog(byId);
    }

    /** The entry for {@code id}; empty for null or an unknown id. */
    public Optional<Entry> find(String id) { return Optional.ofNullable(id == null ? null : entries.get(id)); }
}
