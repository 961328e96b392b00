package io.erosengine.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class TextPolicyInvariantsTest {

    @Property
    void an_accepted_text_holds_no_nul_no_lone_surrogate_and_is_trimmed(@ForAll String text) {
        String out;
        try {
            out = TextPolicy.optional("field", text, 10_000);
        } catch (InvalidTextException e) {
            return;
        }
        if (out == null) {
            assertThat(TextPolicy.isBlankToReader(text)).isTrue();
            return;
        }
        assertThat(out).doesNotContain("\0");
        assertThat(out.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF)).isTrue();
        assertThat(TextPolicy.trim(out)).isEqualTo(out);
        assertThat(TextPolicy.isBlankToReader(out)).isFalse();
    }
}
