package io.erosengine.core.embedding;

import io.erosengine.core.model.Checks;
import io.erosengine.core.port.EmbeddingModel;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny deterministic embedder by feature hashing, for fast tests and as a last-resort offline
 * embedder: each lower-cased word (weight 1) and each character trigram of a word padded with
 * {@code '#'} (weight 0.3) is hashed (FNV-1a, 64 bit) to a slot and a sign; the vector is
 * L2-normalized. Texts that share words get a clearly higher cosine than texts that share none. It
 * captures no meaning beyond shared words. Query and document embeddings are the same. Thread-safe.
 */
public final class HashingEmbeddingModel implements EmbeddingModel {
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final float TRIGRAM_WEIGHT = 0.3f;

    private final int dimensions;

    /** @param dimensions the vector length, in [16, 16000] */
    public HashingEmbeddingModel(int dimensions) {
        this.dimensions = Checks.requireRange(dimensions, 16, 16_000, "dimensions");
    }

    @Override
    public boolean inProcess() { return true; }

    /** {@code "hashing-v1-<dimensions>"}. */
    @Override
    public String modelName() { return "hashing-v1-" + dimensions; }

    @Override
    public int dimensions() { return dimensions; }

    /** The text's vector; blank text is rejected. */
    @Override
    public float[] embedQuery(String text) { return embed(text); }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String t : texts) out.add(embed(t));
        return List.copyOf(out);
    }

    private float[] embed(String text) {
        Checks.requireText(text, "text to embed");
        String normalized = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        float[] v = new float[dimensions];
        Matcher m = WORD.matcher(normalized);
        boolean any = false;
        while (m.find()) {
            any = true;
            String word = m.group();
            add(v, "w:" + word, 1f);
            String padded = "#" + word + "#";
            for (int i = 0; i + 3 <= padded.length(); i++) add(v, "t:" + padded.substring(i, i + 3), TRIGRAM_WEIGHT);
        }
        if (!any) add(v, "s:" + normalized.strip(), 1f);
        return Vectors.normalize(v);
    }

    private void add(float[] v, String feature, float weight) {
        long h = 0xcbf29ce484222325L;
        for (byte b : feature.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        int slot = (int) Long.remainderUnsigned(h >>> 1, dimensions);
        v[slot] += (h & 1) == 0 ? weight : -weight;
    }
}
