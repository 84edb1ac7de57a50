package org.looplens.app.workbench;

import java.io.File;
import java.nio.file.Path;
import java.util.function.Supplier;
import javafx.concurrent.Task;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.stage.FileChooser;
import org.looplens.app.figures.Figure;
import org.looplens.app.figures.FigureExport;
import org.looplens.app.figures.FigureFormat;
import org.looplens.app.figures.FigureSize;

/**
 * The Export button of a chart: PNG (300 dpi), SVG or PDF at a one- or two-column size, or the
 * numbers as CSV or JSON. The figure is built afresh for the file, so the export's print-sized
 * fonts never change the chart on screen.
 */
final class ExportMenu {
    static final int PNG_DPI = 300;

    private ExportMenu() {}

    static MenuButton create(String id, Supplier<Figure> figure, Workbench workbench) {
        MenuButton button = new MenuButton("Export");
        button.setId(id);
        for (FigureSize size : new FigureSize[] {FigureSize.ONE_COLUMN, FigureSize.TWO_COLUMN}) {
            Menu sized = new Menu(size == FigureSize.ONE_COLUMN ? "One column (3.5 in)" : "Two columns (7 in)");
            for (FigureFormat format : new FigureFormat[] {FigureFormat.PNG, FigureFormat.SVG, FigureFormat.PDF}) {
                MenuItem item = new MenuItem(format.name() + (format == FigureFormat.PNG ? " (" + PNG_DPI + " dpi)" : ""));
                item.setOnAction(e -> choose(figure, format, size, workbench));
                sized.getItems().add(item);
            }
            button.getItems().add(sized);
        }
        for (FigureFormat format : new FigureFormat[] {FigureFormat.CSV, FigureFormat.JSON}) {
            MenuItem item = new MenuItem("Data as " + format.name());
            item.setOnAction(e -> choose(figure, format, FigureSize.ONE_COLUMN, workbench));
            button.getItems().add(item);
        }
        return button;
    }

    private static void choose(Supplier<Figure> figure, FigureFormat format, FigureSize size, Workbench workbench) {
        Figure f = figure.get();
        if (f == null) {
            workbench.notifier().info("Nothing to export", "run something first");
            return;
        }
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export " + f.kind());
        chooser.setInitialFileName(f.kind() + "." + format.extension());
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(format.name(), "*." + format.extension()));
        File file = chooser.showSaveDialog(workbench.window());
        if (file != null) {
            export(f, format, size, file.toPath(), workbench);
        }
    }

    /** Writes the figure in the background and says where it went. */
    static Task<Path> export(Figure f, FigureFormat format, FigureSize size, Path out, Workbench workbench) {
        Task<Path> task = new Task<>() {
            @Override
            protected Path call() {
                updateTitle("Exporting " + f.kind());
                FigureExport.write(f, format, size, PNG_DPI, out);
                return out;
            }
        };
        return workbench.work().inspect(task, path -> workbench.notifier().info("Exported", path.toString()));
    }
}
