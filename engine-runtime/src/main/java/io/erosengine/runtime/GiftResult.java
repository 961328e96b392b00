package io.erosengine.runtime;

import io.erosengine.core.affinity.AffinityDelta;
import io.erosengine.core.affinity.RelationshipLabel;
import io.erosengine.core.model.Checks;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.pde.ReplyStyle;

/**
 * The outcome of a gift turn.
 *
 * @param giftMessageId the stored gift message
 * @param replyId the persona's stored reaction
 * @param appliedPushes the pushes that went through the EMA (after the catalog scaling and caps);
 *                      {@link AffinityDelta#ZERO} for a replay
 * @param style the reaction style (from the persona's gift personality); null for a replay
 * @param replayed true when answered from the database (same client_msg_id)
 */
public record GiftResult(MessageId giftMessageId, MessageId replyId, String reply, ReplyStyle style,
                         AffinityDelta appliedPushes, RelationshipLabel label, boolean replayed) {
    public GiftResult {
        Checks.required(giftMessageId, "gift message id");
        Checks.required(reply, "reply");
        Checks.required(appliedPushes, "applied pushes");
        Checks.required(label, "label");
    }
}
