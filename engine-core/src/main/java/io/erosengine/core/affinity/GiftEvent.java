package io.erosengine.core.affinity;

import io.erosengine.core.model.Checks;
import java.util.Map;

/**
 * A gift the user sends.
 *
 * @param giftId a catalog id, or null for a free-form gift
 * @param label what the gift is, for the prompt ("a red rose")
 * @param value the gift's value in the catalog's units (scales the catalog pushes), >= 0
 * @param trustedPushes pushes given by a trusted caller (server-side), used instead of the catalog; or null
 */
public record GiftEvent(String giftId, String label, double value, AffinityDelta trustedPushes,
                        Map<String, Object> metadata) {
    public GiftEvent {
        if (!(value >= 0) || !Double.isFinite(value)) throw new IllegalArgumentException("gift value must be >= 0");
        if ((giftId == null || giftId.isBlank()) && (label == null || label.isBlank())) {
            throw new IllegalArgumentException("a gift needs a gift_id or a label");
        }
        metadata = Checks.mapOf(metadata);
    }
}
