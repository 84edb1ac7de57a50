package org.looplens.app.figures;

/** Quoting for a text field in CSV (RFC 4180): quotes doubled, the whole field quoted. */
final class CsvText {
    private CsvText() {}

    static String quote(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
