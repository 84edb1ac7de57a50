package org.looplens.app.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.analyses.lens.LensQuantity;
import org.looplens.app.inspect.InspectSettings;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.app.inspect.PromptInspection;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.train.MetricsLog;
import org.w3c.dom.Document;

/** Every export format writes a file its reader accepts, holding the chart's text and numbers. */
class FigureExportTest {
    private static final Path SAMPLES = Path.of(System.getProperty("looplens.samples.dir", "../sample-checkpoints"));

    @TempDir
    Path dir;

    private PromptInspection inspection() {
        OpenCheckpoint c = OpenCheckpoint.open(SAMPLES.resolve("multihop-loop4"));
        return PromptInspection.run(c, new int[] {3, 17, 9, 22}, InspectSettings.defaults(), CpuKernels.shared());
    }

    private Figure heatmap() {
        PromptInspection r = inspection();
        return ExitHeatmapFigure.of(r.lens(), LensQuantity.TOP1_PROB, r.tokenLabels());
    }

    @Test
    void pngDecodesAtThePaperSizeAndResolution() throws Exception {
        Path png = dir.resolve("h.png");
        FigureExport.write(heatmap(), FigureFormat.PNG, FigureSize.ONE_COLUMN, 300, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(Math.round(3.5 * 300), img.getWidth());
        assertEquals(Math.round(2.6 * 300), img.getHeight());
        int distinct = (int) java.util.stream.IntStream.range(0, 200)
                .map(i -> img.getRGB(i * img.getWidth() / 200, img.getHeight() / 2)).distinct().count();
        assertTrue(distinct > 5, "the image is not blank: " + distinct + " colours across its middle");
    }

    @Test
    void svgIsXmlWithTheChartsText() throws Exception {
        Path svg = dir.resolve("h.svg");
        FigureExport.write(heatmap(), FigureFormat.SVG, FigureSize.TWO_COLUMN, 300, svg);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        String text = doc.getDocumentElement().getTextContent();
        assertTrue(text.contains("top-1 probability at every loop step"), text);
        assertTrue(text.contains("loop step"), text);
    }

    @Test
    void pdfHasAHeaderAndOnePage() throws Exception {
        Path pdf = dir.resolve("h.pdf");
        FigureExport.write(heatmap(), FigureFormat.PDF, FigureSize.ONE_COLUMN, 300, pdf);
        byte[] bytes = Files.readAllBytes(pdf);
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        assertTrue(s.startsWith("%PDF-"), s.substring(0, 8));
        assertTrue(s.contains("/Type /Page") || s.contains("/Type/Page"), "no page object");
        assertTrue(s.trim().endsWith("%%EOF"), "not a complete PDF");
    }

    @Test
    void csvAndJsonHoldTheLensNumbers() throws Exception {
        PromptInspection r = inspection();
        Figure f = ExitHeatmapFigure.of(r.lens(), LensQuantity.EXIT_PDF, r.tokenLabels());
        Path csv = dir.resolve("h.csv");
        Path json = dir.resolve("h.json");
        FigureExport.write(f, FigureFormat.CSV, FigureSize.ONE_COLUMN, 300, csv);
        FigureExport.write(f, FigureFormat.JSON, FigureSize.ONE_COLUMN, 300, json);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(1 + r.lens().length() * r.lens().steps(), lines.size());
        assertTrue(lines.get(0).startsWith("position,token,step,exit_step,decision_step,answer_flips,top1_prob"), lines.get(0));
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals("exit-pdf", root.get("quantity").asText());
        for (int i = 0; i < r.lens().length(); i++) {
            double sum = 0;
            for (int t = 0; t < r.lens().steps(); t++) {
                double v = root.get("values").get(i).get(t).asDouble();
                assertEquals(r.lens().value(LensQuantity.EXIT_PDF, i, t), v, 0);
                sum += v;
            }
            assertEquals(1, sum, 1e-9, "the exit distribution at position " + i + " sums to one");
        }
    }

    @Test
    void theOtherKindsDrawToo() throws Exception {
        PromptInspection r = inspection();
        FigureExport.write(StepTopKFigure.of(r.lens(), 3, r.checkpoint()::tokenText), FigureFormat.SVG,
                FigureSize.ONE_COLUMN, 300, dir.resolve("topk.svg"));
        FigureExport.write(LambdaFigure.of(r.lens(), r.tokenLabels()), FigureFormat.PNG, FigureSize.ONE_COLUMN, 150,
                dir.resolve("lambda.png"));
        FigureExport.write(TrainingCurvesFigure.of(MetricsLog.read(SAMPLES.resolve("multihop-loop4"))),
                FigureFormat.PDF, FigureSize.TWO_COLUMN, 300, dir.resolve("curves.pdf"));
        assertTrue(Files.readString(dir.resolve("topk.svg")).contains("Final top-"));
        assertEquals(Math.round(3.5 * 150), ImageIO.read(dir.resolve("lambda.png").toFile()).getWidth());
        assertTrue(Files.size(dir.resolve("curves.pdf")) > 1000);
    }
}
