package org.looplens.acceptance.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The seeds of {@link AllParsersFuzzTest} are every parser's seeds behind that parser's byte.
 * After adding a seed (or a finding) to a parser's corpus, write them with
 * {@code mvn -o test -pl engine,analyses,app,src/test -Dtest=AllParsersSeedsTest -Dlooplens.fuzz.writeSeeds=true}.
 */
class AllParsersSeedsTest {
    private static final Path FUZZ = Path.of(System.getProperty("looplens.root", "../.."),
            "src/test/resources/org/looplens/acceptance/fuzz");
    private static final Path ALL = FUZZ.resolve("AllParsersFuzzTestInputs/fuzz");

    @Test
    void combinedSeedsAreThePerParserSeedsEachBehindItsByte() throws IOException {
        boolean write = Boolean.getBoolean("looplens.fuzz.writeSeeds");
        int count = 0;
        for (ParserTarget target : ParserTarget.values()) {
            List<Path> seeds;
            try (Stream<Path> s = Files.list(FUZZ.resolve(target.seeds()))) {
                seeds = s.sorted().toList();
            }
            assertTrue(!seeds.isEmpty(), () -> target + " has no seeds");
            for (Path seed : seeds) {
                byte[] body = Files.readAllBytes(seed);
                byte[] expected = new byte[body.length + 1];
                expected[0] = (byte) target.ordinal();
                System.arraycopy(body, 0, expected, 1, body.length);
                Path combined = ALL.resolve(target.name().toLowerCase() + "-" + seed.getFileName());
                if (write) {
                    Files.createDirectories(ALL);
                    Files.write(combined, expected);
                }
                assertTrue(Files.exists(combined), () -> combined + " is missing: write the seeds (see this class)");
                assertArrayEquals(expected, Files.readAllBytes(combined), combined.toString());
                count++;
            }
        }
        try (Stream<Path> s = Files.list(ALL)) {
            assertTrue(s.count() == count || write, "stale seeds in " + ALL);
        }
    }
}
