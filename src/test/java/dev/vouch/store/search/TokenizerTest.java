package dev.vouch.store.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.store.search.Tokenizer.Term;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {
    @Test
    void splitsOnAnythingButLettersAndDigitsAndLowercases() {
        assertThat(Tokenizer.indexTokens("Hello, WORLD! It's 10:30 -- see https://vouch.dev/a_b"))
                .containsExactly("hello", "world", "it", "s", "10", "30", "see", "https", "vouch", "dev", "a", "b");
    }

    @Test
    void tokensAreDistinct() {
        assertThat(Tokenizer.indexTokens("la la LA land")).containsExactly("la", "land");
    }

    @Test
    void accentsCaseAndCompatibilityFormsFold() {
        assertThat(Tokenizer.indexTokens("Café NAÏVE Ångström")).containsExactly("cafe", "naive", "angstrom");
        // decomposed input (e + combining acute) folds the same as precomposed
        assertThat(Tokenizer.indexTokens("Cafe\u0301")).containsExactly("cafe");
        assertThat(Tokenizer.indexTokens("Straße ΣΟΦΟΣ σοφος")).containsExactly("strasse", "σοφοσ");
        // full-width letters and the fi ligature (NFKC)
        assertThat(Tokenizer.indexTokens("ＶＯＵＣＨ ﬁle")).containsExactly("vouch", "file");
        assertThat(Tokenizer.indexTokens("Привет, Мир")).containsExactly("привет", "мир");
    }

    @Test
    void marksThatAreLettersInOtherScriptsAreKept() {
        // Devanagari vowel signs are part of the word: "नमस्ते" must not lose them
        assertThat(Tokenizer.indexTokens("नमस्ते दुनिया")).containsExactly("नमस्ते", "दुनिया");
    }

    @Test
    void eachEmojiIsATokenAndModifiersAreDropped() {
        assertThat(Tokenizer.indexTokens("great🎉news 👍🏽 ❤️")).containsExactly("great", "🎉", "news", "👍", "❤");
        // a flag (two regional indicators) is one token
        assertThat(Tokenizer.indexTokens("🇩🇪🇫🇷")).containsExactly("🇩🇪", "🇫🇷");
    }

    @Test
    void scriptsWithoutSpacesBecomeBigramsPlusTheLastCharacter() {
        assertThat(Tokenizer.indexTokens("東京都")).containsExactly("東京", "京都", "都");
        assertThat(Tokenizer.indexTokens("猫")).containsExactly("猫");
        // Japanese mixes scripts inside one run; Latin and digits around it stay words
        assertThat(Tokenizer.indexTokens("iPhoneを買った2024年")).containsExactly("iphone", "を買", "買っ", "った", "た",
                "2024", "年");
    }

    @Test
    void longTokensAreCut() {
        String longWord = "a".repeat(100);
        assertThat(Tokenizer.indexTokens(longWord)).containsExactly("a".repeat(Tokenizer.MAX_TOKEN_CODE_POINTS));
    }

    @Test
    void theLastQueryWordIsAPrefixUnlessFollowedBySpace() {
        assertThat(Tokenizer.queryTerms("Meet tomor"))
                .containsExactly(new Term("meet", false), new Term("tomor", true));
        assertThat(Tokenizer.queryTerms("meet tomorrow "))
                .containsExactly(new Term("meet", false), new Term("tomorrow", false));
        assertThat(Tokenizer.queryTerms("  ,, ")).isEmpty();
    }

    @Test
    void queryRunsOfSpacelessScriptsBecomeExactBigramsAndOneCharacterIsAPrefix() {
        assertThat(Tokenizer.queryTerms("東京")).containsExactly(new Term("東京", false));
        assertThat(Tokenizer.queryTerms("東京都")).containsExactly(new Term("東京", false), new Term("京都", false));
        assertThat(Tokenizer.queryTerms("京 ")).containsExactly(new Term("京", true));
    }

    @Test
    void aQueryEmojiIsExact() {
        assertThat(Tokenizer.queryTerms("party 🎉")).containsExactly(new Term("party", false), new Term("🎉", false));
    }

    @Test
    void aRepeatedQueryWordKeepsTheStricterMatch() {
        assertThat(Tokenizer.queryTerms("tea tea")).containsExactly(new Term("tea", false));
        List<Term> terms = Tokenizer.queryTerms("Tea te");
        assertThat(terms).containsExactly(new Term("tea", false), new Term("te", true));
    }
}
