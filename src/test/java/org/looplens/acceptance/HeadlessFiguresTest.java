package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code figure} and {@code snapshot} work without a display, as on a server or in CI. */
class HeadlessFiguresTest {
    private static final Path SAMPLE = Path.of(System.getProperty("looplens.root", "../..")).resolve(
            "sample-checkpoints/multihop-loop4");
    private static final String PROMPT = "<bos> e3 r1 r0 r2 =";

    @TempDir
    Path dir;

    private void ok(String... args) throws Exception {
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        int code = CliProcess.run(List.of(args), out, err);
        assertEquals(0, code, "looplens " + String.join(" ", args) + " failed: " + CliProcess.errorLines(err));
    }

    @Test
    void everyFigureKindIsWrittenHeadless() throws Exception {
        ok("figure", "exit-heatmap", "--checkpoint", SAMPLE.toString(), "--text", PROMPT, "--format", "pdf",
                "--out", dir.resolve("heatmap.pdf").toString());
        ok("figure", "step-topk", "--checkpoint", SAMPLE.toString(), "--text", PROMPT,
                "--out", dir.resolve("topk.svg").toString());
        ok("figure", "lambda", "--checkpoint", SAMPLE.toString(), "--tokens", "1,5,9", "--dpi", "150",
                "--out", dir.resolve("lambda.png").toString());
        ok("figure", "training-curves", "--run", SAMPLE.toString(), "--size", "two-column",
                "--out", dir.resolve("curves.pdf").toString());
        String pdf = Files.readString(dir.resolve("heatmap.pdf"), StandardCharsets.ISO_8859_1);
        assertTrue(pdf.startsWith("%PDF-") && pdf.contains("/Page"), "heatmap.pdf is a PDF with a page");
        var svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("topk.svg").toFile());
        assertTrue(svg.getDocumentElement().getTextContent().contains("over the loop"));
        assertEquals(Math.round(3.5 * 150), ImageIO.read(dir.resolve("lambda.png").toFile()).getWidth());
        assertTrue(Files.readString(dir.resolve("curves.pdf"), StandardCharsets.ISO_8859_1).startsWith("%PDF-"));
    }

    /** With the answer as the target, its rank at the last step is 1 and its probability is the top-1's. */
    @Test
    void theHeatmapFollowsATargetToken() throws Exception {
        Path csv = dir.resolve("target.csv");
        ok("figure", "exit-heatmap", "--checkpoint", SAMPLE.toString(), "--text", PROMPT, "--quantity", "target-rank",
                "--target", "e11", "--format", "csv", "--out", csv.toString());
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(","));
        String[] last = lines.get(lines.size() - 1).split(",");
        assertEquals("1.0", last[header.indexOf("target_rank")]);
        assertEquals(last[header.indexOf("top1_prob")], last[header.indexOf("target_prob")]);
        Path err = dir.resolve("stderr");
        assertEquals(2, CliProcess.run(List.of("figure", "exit-heatmap", "--checkpoint", SAMPLE.toString(), "--text", PROMPT,
                "--quantity", "target-prob", "--out", dir.resolve("x.png").toString()), dir.resolve("stdout"), err));
        assertTrue(CliProcess.errorLines(err).get(0).contains("--target"), CliProcess.errorLines(err).toString());
    }

    @Test
    void snapshotRendersTheRealInspectorHeadless() throws Exception {
        Path png = dir.resolve("inspector.png");
        ok("snapshot", "--view", "window", "--checkpoint", SAMPLE.toString(), "--text", PROMPT,
                "--width", "1000", "--height", "640", "--out", png.toString());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1000, img.getWidth());
        assertEquals(640, img.getHeight());
        List<Integer> colours = new ArrayList<>();
        for (int y = 0; y < img.getHeight(); y += 8) {
            for (int x = 0; x < img.getWidth(); x += 8) {
                colours.add(img.getRGB(x, y));
            }
        }
        long distinct = colours.stream().distinct().count();
        assertTrue(distinct > 50, "the snapshot shows the window's controls and chart, not a blank one: " + distinct
                + " colours");
    }

    @Test
    void noArgumentsWithoutADisplaySayHowToUseTheCli() throws Exception {
        Path out = dir.resolve("stdout");
        int code = CliProcess.run(List.of(), out, dir.resolve("stderr"));
        assertEquals(0, code);
        String text = Files.readString(out);
        assertTrue(text.contains("No display") && text.contains("looplens figure"), text);
    }

    @Test
    void aBadFigureOptionIsOneLineNamingIt() throws Exception {
        Path err = dir.resolve("stderr");
        int code = CliProcess.run(List.of("figure", "exit-heatmap", "--checkpoint", SAMPLE.toString(), "--tokens", "1,2",
                "--quantity", "nonsense", "--out", dir.resolve("x.png").toString()), dir.resolve("stdout"), err);
        assertEquals(2, code);
        List<String> lines = CliProcess.errorLines(err);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("--quantity"), lines.get(0));
    }
}
