package org.looplens.app.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The committed example (docs/depth-vs-cot): its report is exactly what results.json renders to,
 * and every number the narrative docs/depth-vs-cot.md quotes in its table is results.json's.
 */
class CommittedExampleTest {
    private static final Path DOCS = Path.of(System.getProperty("looplens.samples.dir", "../sample-checkpoints"))
            .toAbsolutePath().getParent().resolve("docs");
    private static final Path OUT = DOCS.resolve("depth-vs-cot");

    @Test
    void theReportIsWhatItsResultsRenderTo() throws Exception {
        ComparisonResult r = ComparisonReport.read(OUT);
        assertEquals(ComparisonReport.markdown(r), Files.readString(OUT.resolve(ComparisonReport.REPORT)));
    }

    @Test
    void theNarrativeQuotesTheResults() throws Exception {
        ComparisonResult r = ComparisonReport.read(OUT);
        String doc = Files.readString(DOCS.resolve("depth-vs-cot.md"));
        for (MemberResult m : r.members()) {
            String row = String.format(Locale.ROOT, "| %s | %s | %,d | %.2e | %.3f |", m.name(), m.kind(), m.parameters(),
                    m.flopsPerQuestion(), m.accuracy());
            assertTrue(doc.contains(row), "docs/depth-vs-cot.md should hold the row " + row);
        }
        for (FaithfulnessCurveRow c : r.faithfulness()) {
            String row = String.format(Locale.ROOT, "| %s | %s | %.3f |", c.model(), c.test(), c.areaOverCurve());
            assertTrue(doc.contains(row), "docs/depth-vs-cot.md should hold the row " + row);
        }
    }
}
