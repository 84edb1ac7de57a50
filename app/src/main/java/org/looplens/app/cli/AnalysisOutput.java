package org.looplens.app.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.looplens.analyses.NpyWriter;
import org.looplens.app.figures.Figure;
import org.looplens.app.figures.FigureExport;
import org.looplens.app.figures.FigureFormat;
import org.looplens.app.figures.FigureSize;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.io.AtomicFiles;
import picocli.CommandLine.Option;

/**
 * Where an analysis result goes, by the --out file's extension: its numbers as JSON, CSV or a
 * NumPy .npz archive, or its figure as PNG (300 dpi), SVG or PDF at one-column size.
 */
final class AnalysisOutput {
    // Checked in require() rather than by picocli, so the workbench can parse the same options without a file.
    @Option(names = "--out", paramLabel = "FILE",
            description = "The result as .json, .csv or .npz, or its figure as .png, .svg or .pdf (required).")
    Path out;

    void require() {
        if (out == null) {
            throw new InvalidInputException("--out", "say where the result goes: a .json, .csv, .npz, .png, .svg or .pdf file");
        }
    }

    @Override
    public String toString() {
        return out.toString();
    }

    void write(Figure figure, Map<String, byte[]> arrays) {
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npz")) {
            AtomicFiles.write(out, stream -> NpyWriter.npz(arrays, stream));
            return;
        }
        int dot = name.lastIndexOf('.');
        FigureFormat format;
        try {
            format = FigureFormat.parse(dot < 0 ? "" : name.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--out", "end the file name in .json, .csv, .npz, .png, .svg or .pdf");
        }
        FigureExport.write(figure, format, FigureSize.ONE_COLUMN, 300, out);
    }
}
