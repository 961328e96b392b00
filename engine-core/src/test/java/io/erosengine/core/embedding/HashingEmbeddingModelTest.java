package io.erosengine.core.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HashingEmbeddingModelTest {
    private final HashingEmbeddingModel model = new HashingEmbeddingModel(512);

    @ParameterizedTest
    @ValueSource(ints = {16, 384, 512, 1024})
    void vectors_have_the_configured_length_and_unit_norm(int dims) {
        float[] v = new HashingEmbeddingModel(dims).embedQuery("My dog is called Biscuit");
        assertThat(v).hasSize(dims);
        double norm = 0;
        for (float x : v) norm += x * x;
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void texts_sharing_words_score_clearly_higher_than_unrelated_texts() {
        float[] query = model.embedQuery("what is my dog called?");
        double related = Vectors.cosine(query, model.embedQuery("The user's dog is called Biscuit"));
        double unrelated = Vectors.cosine(query, model.embedQuery("Works as a nurse in Lisbon"));
        assertThat(related).isGreaterThan(unrelated + 0.3);
    }

    @Test
    void the_same_text_always_gives_the_same_vector_for_queries_and_documents() {
        List<float[]> docs = model.embedDocuments(List.of("Loves jazz", "Hates mornings"));
        assertThat(docs.get(0)).containsExactly(model.embedQuery("Loves jazz"));
        assertThat(new HashingEmbeddingModel(512).embedQuery("Hates mornings")).containsExactly(docs.get(1));
        assertThat(model.modelName()).isEqualTo("hashing-v1-512");
    }

    @Test
    void text_without_words_still_gets_a_unit_vector_and_blank_text_is_rejected() {
        assertThat(Vectors.cosine(model.embedQuery("!!!"), model.embedQuery("!!!"))).isCloseTo(1.0, within(1e-6));
        assertThatThrownBy(() -> model.embedQuery("  ")).isInstanceOf(IllegalArgumentException.class);
    }
}
