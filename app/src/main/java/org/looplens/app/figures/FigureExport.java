package org.looplens.app.figures;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.jfree.chart.JFreeChart;
import org.jfree.pdf.PDFDocument;
import org.jfree.pdf.PDFGraphics2D;
import org.jfree.pdf.Page;
import org.jfree.svg.SVGGraphics2D;
import org.looplens.engine.io.AtomicFiles;

/**
 * Writes a figure to PNG (at a chosen resolution, recorded in the file), SVG or PDF at a paper
 * size, or its numbers to CSV or JSON. Every file is written atomically: an export that fails
 * half way leaves the previous file, not a torn one.
 */
public final class FigureExport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FigureExport() {}

    public static void write(Figure figure, FigureFormat format, FigureSize size, int dpi, Path out) {
        if (dpi < 36 || dpi > 1200) {
            throw new IllegalArgumentException("dpi must lie in 36..1200, got " + dpi);
        }
        if (format.isDrawing()) {
            FigureTheme.apply(figure.chart(), size);
        }
        switch (format) {
            case PNG -> AtomicFiles.write(out, stream -> png(figure.chart(), size, dpi, stream));
            case SVG -> AtomicFiles.writeString(out, svg(figure.chart(), size));
            case PDF -> AtomicFiles.write(out, stream -> stream.write(pdf(figure.chart(), size)));
            case CSV -> AtomicFiles.writeString(out, figure.csv());
            case JSON -> AtomicFiles.write(out, stream -> stream.write(
                    JSON.writeValueAsString(figure.data()).getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** The chart drawn at the size's points, scaled to {@code dpi}. */
    public static BufferedImage image(JFreeChart chart, FigureSize size, int dpi) {
        double scale = dpi / 72.0;
        int w = (int) Math.round(size.widthPoints() * scale);
        int h = (int) Math.round(size.heightPoints() * scale);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.scale(scale, scale);
            chart.draw(g, new Rectangle2D.Double(0, 0, size.widthPoints(), size.heightPoints()));
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void png(JFreeChart chart, FigureSize size, int dpi, OutputStream out) throws java.io.IOException {
        BufferedImage img = image(chart, size, dpi);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), null);
            meta.mergeTree("javax_imageio_1.0", resolution(dpi));
            writer.write(new IIOImage(img, null, meta));
        } finally {
            writer.dispose();
        }
    }

    /** The standard metadata tree that records dots per inch (as millimetres per pixel). */
    private static IIOMetadataNode resolution(int dpi) {
        double mmPerPixel = 25.4 / dpi;
        IIOMetadataNode h = new IIOMetadataNode("HorizontalPixelSize");
        h.setAttribute("value", Double.toString(mmPerPixel));
        IIOMetadataNode v = new IIOMetadataNode("VerticalPixelSize");
        v.setAttribute("value", Double.toString(mmPerPixel));
        IIOMetadataNode dimension = new IIOMetadataNode("Dimension");
        dimension.appendChild(h);
        dimension.appendChild(v);
        IIOMetadataNode root = new IIOMetadataNode("javax_imageio_1.0");
        root.appendChild(dimension);
        return root;
    }

    static String svg(JFreeChart chart, FigureSize size) {
        SVGGraphics2D g = new SVGGraphics2D(size.widthPoints(), size.heightPoints());
        chart.draw(g, new Rectangle2D.Double(0, 0, size.widthPoints(), size.heightPoints()));
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + g.getSVGElement() + "\n";
    }

    static byte[] pdf(JFreeChart chart, FigureSize size) {
        PDFDocument doc = new PDFDocument();
        doc.setTitle(chart.getTitle() == null ? "LoopLens figure" : chart.getTitle().getText());
        doc.setAuthor("LoopLens");
        Page page = doc.createPage(new Rectangle2D.Double(0, 0, size.widthPoints(), size.heightPoints()));
        PDFGraphics2D g = page.getGraphics2D();
        chart.draw(g, new Rectangle2D.Double(0, 0, size.widthPoints(), size.heightPoints()));
        return doc.getPDFBytes();
    }
}
