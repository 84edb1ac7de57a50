package org.looplens.app.workbench;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.looplens.analyses.lens.LensQuantity;
import org.looplens.app.inspect.InspectSettings;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.app.inspect.PromptInspection;
import org.looplens.engine.io.AtomicFiles;
import org.looplens.engine.kernels.CpuKernels;

/**
 * Renders the real workbench, headless, to a PNG: the window with the prompt inspector in front,
 * or the inspector alone, after running a prompt. For screenshots in docs and for checking
 * what a user would see without a display.
 */
public final class Snapshot {
    private Snapshot() {}

    /** What to render. */
    public enum View { WINDOW, INSPECTOR, TRAINING }

    /** The training view (in the window) showing a run's curves from its metrics log. */
    public static void training(Path runDir, int width, int height, Path out) {
        FxHeadless.start();
        WritableImage image = FxHeadless.call(() -> {
            WorkbenchSettings size = WorkbenchSettings.inMemory();
            size.values().width = width;
            size.values().height = height;
            Stage stage = new Stage();
            MainWindow window = new MainWindow(stage, size);
            window.training().showRun(runDir);
            window.showView("training");
            return render(stage.getScene(), width, height);
        });
        AtomicFiles.write(out, stream -> ImageIO.write(toBuffered(image), "png", stream));
    }

    private static WritableImage render(Scene scene, int width, int height) {
        Parent root = scene.getRoot();
        root.applyCss();
        root.resize(width, height);
        root.layout();
        return scene.snapshot(null);
    }

    /**
     * @param promptText the prompt as the user typed it (text, or ids when {@code ids}), shown in
     *                   the prompt field
     */
    public static void inspector(View view, OpenCheckpoint checkpoint, String promptText, boolean ids, int[] tokens,
                                 InspectSettings settings, LensQuantity quantity, int width, int height, Path out) {
        FxHeadless.start();
        PromptInspection inspection = PromptInspection.run(checkpoint, tokens, settings, CpuKernels.shared());
        WritableImage image = FxHeadless.call(() -> {
            Scene scene;
            if (view == View.WINDOW) {
                Stage stage = new Stage();
                WorkbenchSettings size = WorkbenchSettings.inMemory();
                size.values().width = width;
                size.values().height = height;
                MainWindow window = new MainWindow(stage, size);
                window.showOpened(checkpoint);
                window.inspector().setPrompt(promptText, ids);
                window.inspector().setQuantity(quantity);
                window.inspector().showSettings(settings, checkpoint.model().config().totalUtSteps());
                window.inspector().showResult(inspection);
                scene = stage.getScene();
            } else {
                InspectorView inspector = new InspectorView(new Standalone());
                inspector.checkpointProperty().set(checkpoint);
                inspector.setPrompt(promptText, ids);
                inspector.setQuantity(quantity);
                inspector.showSettings(settings, checkpoint.model().config().totalUtSteps());
                inspector.showResult(inspection);
                scene = new Scene(inspector, width, height);
                Themes.apply(scene, "light");
            }
            return render(scene, width, height);
        });
        AtomicFiles.write(out, stream -> ImageIO.write(toBuffered(image), "png", stream));
    }

    /** The little a view needs of a workbench when it is drawn on its own. */
    private static final class Standalone implements Workbench {
        private final Notifier notifier = new Notifier(() -> null);
        private final BackgroundWork work = new BackgroundWork(notifier);

        @Override
        public BackgroundWork work() {
            return work;
        }

        @Override
        public Notifier notifier() {
            return notifier;
        }

        @Override
        public javafx.stage.Window window() {
            return null;
        }

        @Override
        public void runCheckpointSaved(Path dir) {
        }
    }

    static BufferedImage toBuffered(WritableImage image) {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader pr = image.getPixelReader();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            pr.getPixels(0, y, w, 1, javafx.scene.image.PixelFormat.getIntArgbInstance(), row, 0, w);
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }
}
