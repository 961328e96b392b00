package io.erosengine.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemoryTextTest {

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            I love  Pizza!          | i love pizza
            i love pizza            | i love pizza
            '  ...Likes   jazz. '   | likes jazz
            Ｆｕｌｌｗｉｄｔｈ          | fullwidth
            'tabs\tand\nlines'      | tabs and lines
            "quoted"                | quoted
            it's fine               | it's fine
            '!!!'                   | ''
            """)
    void normalize_folds_case_width_spaces_and_edge_punctuation(String input, String expected) {
        assertThat(MemoryText.normalize(input.replace("\\t", "\t").replace("\\n", "\n"))).isEqualTo(expected);
    }
}
