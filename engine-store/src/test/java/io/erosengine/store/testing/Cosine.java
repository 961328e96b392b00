package io.erosengine.store.testing;

/** A reference for tests: the cosine similarity in double, computed apart from the code under test. */
public final class Cosine {
    private Cosine() {}

    /** The cosine similarity of {@code a} and {@code b} in double, summed in index order. */
    public static double of(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
