package io.erosengine.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The examples of Porter's paper (1980), step by step, and words outside its alphabet. */
class PorterStemmerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // 1a
            "caresses, caress", "ponies, poni", "ties, ti", "caress, caress", "cats, cat",
            // 1b
            "feed, feed", "agreed, agre", "plastered, plaster", "bled, bled", "motoring, motor", "sing, sing",
            "conflated, conflat", "troubled, troubl", "sized, size", "hopping, hop", "tanned, tan", "falling, fall",
            "hissing, hiss", "fizzed, fizz", "failing, fail", "filing, file",
            // 1c
            "happy, happi", "sky, sky",
            // 2
            "relational, relat", "conditional, condit", "rational, ration", "valenci, valenc", "hesitanci, hesit",
            "digitizer, digit", "conformabli, conform", "radicalli, radic", "differentli, differ", "vileli, vile",
            "analogousli, analog", "vietnamization, vietnam", "predication, predic", "operator, oper",
            "feudalism, feudal", "decisiveness, decis", "hopefulness, hope", "callousness, callous",
            "formaliti, formal", "sensitiviti, sensit", "sensibiliti, sensibl",
            // 3
            "triplicate, triplic", "formative, form", "formalize, formal", "electriciti, electr", "electrical, electr",
            "hopeful, hope", "goodness, good",
            // 4
            "revival, reviv", "allowance, allow", "inference, infer", "airliner, airlin", "gyroscopic, gyroscop",
            "adjustable, adjust", "defensible, defens", "irritant, irrit", "replacement, replac", "adjustment, adjust",
            "dependent, depend", "adoption, adopt", "homologou, homolog", "communism, commun", "activate, activ",
            "angulariti, angular", "homologous, homolog", "effective, effect", "bowdlerize, bowdler",
            // 5
            "probate, probat", "rate, rate", "cease, ceas", "controll, control", "roll, roll",
            // whole words
            "generalizations, gener", "oscillators, oscil", "hiking, hike", "hikes, hike",
            // outside a to z, or too short: unchanged
            "café, café", "zoë, zoë", "is, is",
    })
    void stems_as_the_paper_does(String word, String stem) {
        assertThat(PorterStemmer.stem(word)).isEqualTo(stem);
    }
}
