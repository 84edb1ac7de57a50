package org.looplens.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.engine.InvalidInputException;

class TextFileTaskTest {
    private static final int L = 32;

    @TempDir
    Path dir;
    private Path file;
    private byte[] content;

    @BeforeEach
    void writeCorpus() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 20_000; i++) {
            sb.append("line ").append(i).append(": the loop applies the same layers again.\n");
        }
        content = sb.toString().getBytes(StandardCharsets.UTF_8);
        file = Files.write(dir.resolve("corpus.txt"), content);
    }

    @Test
    void regionsAreContiguousAndChunksStayInside() {
        TextFileTask task = new TextFileTask(file, L, 0.05, 0.05, 3);
        assertEquals(0, task.regionStart(Split.TRAIN));
        assertEquals(task.regionEnd(Split.TRAIN), task.regionStart(Split.VALIDATION));
        assertEquals(task.regionEnd(Split.VALIDATION), task.regionStart(Split.TEST));
        assertEquals(content.length, task.regionEnd(Split.TEST));
        assertEquals(content.length / 20, task.regionEnd(Split.VALIDATION) - task.regionStart(Split.VALIDATION));
        for (Split s : Split.values()) {
            long covered = 0;
            for (long i = 0; i < 3000; i++) {
                Example e = task.example(s, i, Format.DIRECT);
                long off = Long.parseLong(e.key().substring(1));
                assertTrue(off >= task.regionStart(s) && off + L <= task.regionEnd(s), s + " chunk at " + off + " leaves its region");
                if (s != Split.TRAIN) {
                    covered = Math.max(covered, off + L);
                }
            }
            if (s != Split.TRAIN) {
                assertEquals(task.regionStart(s) + task.chunks(s) * L, covered, "held-out chunks tile the region");
            }
        }
    }

    @Test
    void chunksAreTheFileBytesAfterBos() {
        TextFileTask task = new TextFileTask(file, L, 0.05, 0.05, 3);
        Vocabulary v = task.vocabulary();
        assertEquals(4 + 256, v.size());
        for (Split s : Split.values()) {
            for (long i = 0; i < 50; i++) {
                Example e = task.example(s, i, Format.COT);
                assertEquals(e, task.example(s, i, Format.DIRECT), "format is ignored");
                assertEquals(e, new TextFileTask(file, L, 0.05, 0.05, 3).example(s, i, Format.DIRECT));
                int off = (int) task.offset(s, i);
                int[] expected = new int[L + 1];
                expected[0] = Vocabulary.BOS;
                for (int j = 0; j < L; j++) {
                    expected[j + 1] = Vocabulary.FIRST_BYTE + (content[off + j] & 0xFF);
                }
                assertArrayEquals(expected, e.tokens());
                assertEquals(L, e.lossMask().length);
                assertTrue(Arrays.equals(e.lossMask(), filled(L)), "every byte is a target");
                assertEquals(1, e.answerStart());
                assertEquals("<bos>" + new String(content, off, L, StandardCharsets.UTF_8), e.text());
                assertArrayEquals(e.tokens(), v.encode(e.text()));
            }
        }
    }

    private static boolean[] filled(int n) {
        boolean[] b = new boolean[n];
        Arrays.fill(b, true);
        return b;
    }

    @Test
    void trainWindowsMoveAndDifferBySeed() {
        TextFileTask a = new TextFileTask(file, L, 0.05, 0.05, 3);
        TextFileTask b = new TextFileTask(file, L, 0.05, 0.05, 4);
        assertTrue(a.offset(Split.TRAIN, 0) != a.offset(Split.TRAIN, 1) || a.offset(Split.TRAIN, 1) != a.offset(Split.TRAIN, 2));
        assertTrue(a.offset(Split.TRAIN, 0) != b.offset(Split.TRAIN, 0) || a.offset(Split.TRAIN, 1) != b.offset(Split.TRAIN, 1));
    }

    @Test
    void fileTooSmallOrMissingIsNamed() throws IOException {
        Path small = Files.writeString(dir.resolve("small.txt"), "tiny text, not enough for held-out chunks");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new TextFileTask(small, L, 0.05, 0.05, 0));
        assertEquals(small.toString(), e.source());
        assertTrue(e.problem().contains("too few"), e.getMessage());
        Path missing = dir.resolve("nope.txt");
        e = assertThrows(InvalidInputException.class, () -> new TextFileTask(missing, L, 0.05, 0.05, 0));
        assertEquals(missing.toString(), e.source());
        assertThrows(InvalidInputException.class, () -> new TextFileTask(dir, L, 0.05, 0.05, 0));
    }
}
