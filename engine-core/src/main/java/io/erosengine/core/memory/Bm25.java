package io.erosengine.core.memory;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The keyword score, Okapi BM25 over one scope (a user's layer): both stores compute it with
 * these constants and this formula (the Postgres store in SQL), so they rank alike.
 * <pre>
 *   score(doc) = sum over query lexemes t in doc of
 *                idf(t) * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / averageLength))
 *   idf(t)     = ln(1 + (docs - df + 0.5) / (df + 0.5))
 * </pre>
 * with docs = the scope's live memories, df = those containing t, tf and length from
 * {@link KeywordDocument}. The sum is then {@link #round rounded} so that the order of additions
 * (and a last-bit difference between two math libraries) cannot reorder two equal scores.
 */
public final class Bm25 {
    /** Term-frequency saturation. */
    public static final double K1 = 1.2;
    /** Length normalization. */
    public static final double B = 0.75;
    /** Decimal places kept by {@link #round}. */
    public static final int SCALE = 9;

    private Bm25() {}

    /** One lexeme's part of a document's score. */
    public static double term(int tf, long df, long docs, int length, double averageLength) {
        double idf = Math.log(1 + (docs - df + 0.5) / (df + 0.5));
        return idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / averageLength));
    }

    /**
     * A score rounded as Postgres rounds {@code round(score::numeric, 9)}: to 15 significant digits
     * (its float8-to-numeric conversion), then half up to {@value #SCALE} decimals.
     */
    public static double round(double score) {
        return new BigDecimal(score, new MathContext(15, RoundingMode.HALF_EVEN)).setScale(SCALE, RoundingMode.HALF_UP)
                .doubleValue();
    }
}
