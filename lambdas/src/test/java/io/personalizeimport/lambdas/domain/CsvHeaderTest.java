package io.personalizeimport.lambdas.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CsvHeaderTest {

    private static Optional<List<String>> parse(String text, boolean complete) {
        return CsvHeader.parse(text.getBytes(StandardCharsets.UTF_8), complete);
    }

    @Test
    void plainHeader_shouldSplitOnCommas() {
        assertEquals(Optional.of(List.of("USER_ID", "ITEM_ID", "TIMESTAMP")),
                parse("USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,1700000000\n", false));
    }

    @Test
    void byteOrderMarkQuotesAndCrlf_shouldBeHandled() {
        assertEquals(Optional.of(List.of("USER_ID", "A,B", "say \"hi\"")),
                parse("\uFEFFUSER_ID,\"A,B\",\"say \"\"hi\"\"\"\r\nu1,x,y\r\n", false));
    }

    @Test
    void truncatedHeader_shouldBeUnknown() {
        assertTrue(parse("USER_ID,ITEM_", false).isEmpty());
    }

    @Test
    void wholeFileWithoutNewline_shouldStillCount() {
        assertEquals(Optional.of(List.of("ITEM_ID")), parse("ITEM_ID", true));
    }
}
