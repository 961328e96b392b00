package io.erosengine.core.embedding;

/** Small vector helpers shared by the embedders and the in-memory store. */
public final class Vectors {
    private Vectors() {}

    /** Scales {@code v} to unit length in place (a zero vector stays zero) and returns it. */
    public static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) sum += (double) x * x;
        if (sum == 0) return v;
        float inv = (float) (1.0 / Math.sqrt(sum));
        for (int i = 0; i < v.length; i++) v[i] *= inv;
        return v;
    }

    /** Cosine similarity of two vectors of equal length (0 when either is zero). */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
