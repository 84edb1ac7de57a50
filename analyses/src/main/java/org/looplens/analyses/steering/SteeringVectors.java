package org.looplens.analyses.steering;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.kernels.Kernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.tensor.FloatTensor;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.Site;

/** Where steering vectors come from: a difference of mean activations, a file, or any float array (a probe's direction). */
public final class SteeringVectors {
    private SteeringVectors() {}

    /**
     * mean(site activation of {@code clean}) − mean(site activation of {@code corrupt}), each
     * prompt read at its last position: added at strength 1 to a corrupt-like run, it moves the
     * site's activation by the average clean-minus-corrupt difference.
     */
    public static float[] meanDifference(LoopModel model, Kernels kernels, List<int[]> clean, List<int[]> corrupt,
                                         Site site, RunOptions options) {
        double[] a = meanAtLast(model, kernels, clean, site, options);
        double[] b = meanAtLast(model, kernels, corrupt, site, options);
        float[] out = new float[a.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = (float) (a[j] - b[j]);
        }
        return out;
    }

    private static double[] meanAtLast(LoopModel model, Kernels kernels, List<int[]> prompts, Site site,
                                       RunOptions options) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("a mean activation needs at least one prompt");
        }
        List<RunResult> runs = new LoopRunner(model, kernels).forward(prompts,
                options.withCapture(CapturePlan.sites(java.util.Set.of(site))));
        double[] sum = null;
        for (RunResult run : runs) {
            FloatTensor a = run.trace().get(site);
            int width = a.dim(a.rank() - 1);
            if (sum == null) {
                sum = new double[width];
            }
            for (int j = 0; j < width; j++) {
                sum[j] += a.get(run.length() - 1, j);
            }
        }
        for (int j = 0; j < sum.length; j++) {
            sum[j] /= prompts.size();
        }
        return sum;
    }

    /** A vector as numbers separated by commas or whitespace (e.g. {@code numpy.savetxt}); '#' starts a comment. */
    public static float[] read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(file.toString(), "cannot read the steering vector: " + e.getMessage());
        }
        List<Float> values = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceAll("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            for (String word : line.split("[,\\s]+")) {
                try {
                    float v = Float.parseFloat(word);
                    if (!Float.isFinite(v)) {
                        throw new NumberFormatException();
                    }
                    values.add(v);
                } catch (NumberFormatException e) {
                    throw new InvalidInputException(file + ":" + (i + 1), "'" + word + "' is not a finite number");
                }
            }
        }
        if (values.isEmpty()) {
            throw new InvalidInputException(file.toString(), "the steering vector file holds no numbers");
        }
        float[] out = new float[values.size()];
        for (int j = 0; j < out.length; j++) {
            out[j] = values.get(j);
        }
        return out;
    }

    /** {@code vector} rescaled to length {@code length}. */
    public static float[] withLength(double[] vector, double length) {
        double norm = 0;
        for (double v : vector) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        if (!(norm > 0)) {
            throw new IllegalArgumentException("a zero vector has no direction to steer along");
        }
        float[] out = new float[vector.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = (float) (vector[j] * length / norm);
        }
        return out;
    }
}
