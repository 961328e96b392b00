package io.erosengine.llm.offline;

import io.erosengine.core.embedding.Vectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmEmbeddingModelTest {
    private static MiniLmEmbeddingModel model;

    @BeforeAll
    static void load() { model = new MiniLmEmbeddingModel(512); }

    @Test
    void similar_sentences_score_higher_than_unrelated_ones() {
        float[] query = model.embedQuery("What is the name of my pet?");
        List<float[]> docs = model.embedDocuments(List.of(
                "The user has a puppy named Biscuit.",
                "The user works night shifts as a nurse.",
                "Quarterly tax filings are due in April."));
        double pet = Vectors.cosine(query, docs.get(0));
        assertThat(pet).isGreaterThan(Vectors.cosine(query, docs.get(1)));
        assertThat(pet).isGreaterThan(Vectors.cosine(query, docs.get(2)));
        assertThat(Vectors.cosine(model.embedQuery("I feel lonely tonight"), model.embedQuery("I am feeling so alone this evening")))
                .isGreaterThan(Vectors.cosine(model.embedQuery("I feel lonely tonight"), model.embedQuery("The train leaves at nine")));
    }

    @Test
    void vectors_have_the_configured_length_with_zero_padding_and_unit_norm() {
        float[] v = model.embedQuery("hello there");
        assertThat(v).hasSize(512);
        for (int i = MiniLmEmbeddingModel.NATIVE_DIMENSIONS; i < 512; i++) assertThat(v[i]).isZero();
        double norm = 0;
        for (float x : v) norm += x * x;
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-4));
        assertThat(model.dimensions()).isEqualTo(512);
        assertThat(model.modelName()).isEqualTo("all-minilm-l6-v2-q-pad512");
    }

    @Test
    void documents_keep_their_order_and_match_single_queries() {
        List<float[]> docs = model.embedDocuments(List.of("first text", "second text"));
        assertThat(Vectors.cosine(docs.get(0), model.embedQuery("first text"))).isCloseTo(1.0, within(1e-4));
        assertThat(Vectors.cosine(docs.get(1), model.embedQuery("second text"))).isCloseTo(1.0, within(1e-4));
        assertThat(model.embedDocuments(List.of())).isEmpty();
    }

    @Test
    void a_dimension_below_the_model_size_and_blank_text_are_rejected() {
        assertThatThrownBy(() -> new MiniLmEmbeddingModel(256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> model.embedQuery(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
