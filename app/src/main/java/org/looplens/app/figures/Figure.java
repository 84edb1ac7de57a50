package org.looplens.app.figures;

import org.jfree.chart.JFreeChart;

/**
 * A chart ready to draw, with the numbers behind it for CSV and JSON export.
 *
 * @param kind  what the figure shows, as named on the command line
 * @param chart the drawing
 * @param csv   the plotted numbers as CSV (header row first)
 * @param data  the plotted numbers as a JSON-serialisable object
 */
public record Figure(String kind, JFreeChart chart, String csv, Object data) {}
