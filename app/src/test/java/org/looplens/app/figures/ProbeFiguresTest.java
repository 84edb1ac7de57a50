package org.looplens.app.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.analyses.probes.ProbeGrid;
import org.looplens.analyses.probes.ProbeReport;
import org.looplens.analyses.probes.ProbeSteering;
import org.looplens.analyses.probes.ProbeTarget;
import org.looplens.analyses.steering.SteeringEffect;
import org.looplens.analyses.steering.SteeringSweep;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/** The probe and steering figures draw, and carry every number of their result. */
class ProbeFiguresTest {
    @TempDir
    Path dir;

    private static ProbeReport report() {
        ProbeGrid two = new ProbeGrid(2, 7, 3, new int[] {1, 2}, new double[][] {{0.2, 0.9}, {0.1, 1}},
                new double[][] {{0.1, 0.1}, {0.3, 0}}, new double[][] {{0, 0.3}, {0.3, 0}},
                new double[][] {{1, 0.5}, {0.5, 1}}, 1);
        return new ProbeReport(ProbeTarget.HOPS, 2, 0.7, 1, List.of(two), new double[][] {{1, 0.25}, {0.25, 1}}, 4);
    }

    @Test
    void probeAccuracyKeepsEveryCellAndTheSteeringCheck() throws Exception {
        ProbeSteering steering = new ProbeSteering(1, new double[] {0, 1}, new double[] {0, 0.5},
                new double[] {0, 0.4}, 0.9, 3, 8);
        Figure f = ProbeAccuracyFigure.of(report(), steering);
        assertEquals(1 + 2 * 2, f.csv().lines().count());
        assertTrue(f.csv().lines().anyMatch(l -> l.startsWith("2,2,1,1.0,0.0,1.0,")), f.csv());
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) f.data();
        assertTrue(json.containsKey("steering") && json.containsKey("agreement"));
        Path svg = dir.resolve("p.svg");
        FigureExport.write(f, FigureFormat.SVG, FigureSize.ONE_COLUMN, 300, svg);
        String text = Files.readString(svg);
        assertTrue(text.contains("2-hop: answer") && text.contains("100/0"), "row labels and cell text drawn");
    }

    @Test
    void agreementAndSteeringFiguresHoldTheirNumbers() throws Exception {
        Figure a = AgreementMatrixFigure.of(report(), null);
        assertEquals(1 + 4, a.csv().lines().count());
        assertTrue(a.csv().contains("0,1,0.25") && a.csv().contains("1,0,0.25"));
        SteeringSweep sweep = new SteeringSweep(Site.step(1, SiteKind.STEP_HIDDEN), new int[] {4}, 4, 7, 2.0, 3, 0.01,
                0.5, List.of(new SteeringEffect(0, 0, 3, false, 0.01, 0.5), new SteeringEffect(1, 2.5, 7, true, 0.8, 0.6)));
        Figure s = SteeringFigure.of(sweep, "e7");
        assertEquals("strength,kl,top1,changed,target_prob,entropy", s.csv().lines().findFirst().orElseThrow());
        Path png = dir.resolve("s.png");
        FigureExport.write(s, FigureFormat.PNG, FigureSize.ONE_COLUMN, 150, png);
        assertTrue(Files.size(png) > 1000);
    }
}
