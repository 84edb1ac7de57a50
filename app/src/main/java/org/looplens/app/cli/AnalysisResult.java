package org.looplens.app.cli;

import java.util.Map;
import org.looplens.app.figures.Figure;

/**
 * What an analysis produced: its figure (with the plotted numbers), its arrays for a NumPy
 * archive, and a one-paragraph summary for the terminal or the workbench's status line.
 */
public record AnalysisResult(Figure figure, Map<String, byte[]> arrays, String summary) {}
