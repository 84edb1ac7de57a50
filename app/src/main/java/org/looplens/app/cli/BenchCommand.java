package org.looplens.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.looplens.app.bench.BenchPreset;
import org.looplens.app.bench.DecodeBench;
import org.looplens.app.bench.ForwardBench;
import org.looplens.app.bench.GemmBench;
import org.looplens.app.bench.KvSharingBench;
import org.looplens.app.bench.Roofline;
import org.looplens.app.bench.Timing;
import org.looplens.app.bench.TrainBench;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.io.DType;
import org.looplens.engine.kernels.VectorKernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code looplens bench}: throughput of training, inference and decoding at fixed sizes, and
 * this machine's bandwidth and SGEMM limits. Each prints median, minimum and maximum after
 * warm-up; with {@code --json} the last line is one JSON object.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure speed (see docs/benchmarks.md).",
        subcommands = {BenchCommand.Train.class, BenchCommand.Forward.class, BenchCommand.Gemm.class, BenchCommand.Decode.class,
                BenchCommand.RooflineCommand.class, BenchCommand.KvSharingCommand.class})
final class BenchCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every benchmark shares. */
    static class Common {
        @Option(names = "--threads", paramLabel = "K", description = "Worker threads (default: the cores, at most).")
        Integer threads;

        @Option(names = "--json", description = "End with one JSON line of the results.")
        boolean json;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        int threads() {
            int cores = Runtime.getRuntime().availableProcessors();
            if (threads != null && threads < 1) {
                throw new InvalidInputException("--threads", "must be at least 1, got " + threads);
            }
            return threads == null ? cores : Math.min(threads, cores);
        }

        ObjectNode report(String bench) {
            ObjectNode n = JSON.createObjectNode();
            n.put("bench", bench);
            return n;
        }

        static ObjectNode stats(Timing t) {
            ObjectNode s = JSON.createObjectNode();
            s.put("median", t.median());
            s.put("min", t.min());
            s.put("max", t.max());
            s.put("samples", t.count());
            return s;
        }

        /**
         * Measures a preset with a fresh backend of {@link #threads()} workers and prints the
         * result: {@code rate} names the JSON field of the rates, {@code unit} their unit;
         * {@code option}, when not null, is a {name, value} pair (such as the capture plan) added to
         * the report and its label.
         */
        int measurePreset(String bench, String preset, String rate, String unit, String[] option,
                          java.util.function.BiFunction<BenchPreset, VectorKernels, Timing> measure) {
            return measurePreset(bench, preset, rate, unit, option, measure, (p, r) -> { });
        }

        /** As above, with {@code extra} adding preset-specific fields to the JSON report. */
        int measurePreset(String bench, String preset, String rate, String unit, String[] option,
                          java.util.function.BiFunction<BenchPreset, VectorKernels, Timing> measure,
                          java.util.function.BiConsumer<BenchPreset, ObjectNode> extra) {
            BenchPreset p = BenchPreset.parse(preset);
            int k = threads();
            try (VectorKernels kernels = new VectorKernels(k)) {
                Timing t = measure.apply(p, kernels);
                ObjectNode r = report(bench);
                r.put("preset", p.name());
                String label = bench + " " + p;
                if (option != null) {
                    r.put(option[0], option[1]);
                    label += ", " + option[0] + " " + option[1];
                }
                r.set(rate, stats(t));
                r.put("threads", k);
                extra.accept(p, r);
                print(r, String.format("%s: %.1f %s median (min %.1f, max %.1f, %d samples, %d threads)", label,
                        t.median(), unit, t.min(), t.max(), t.count(), k));
            }
            return LoopLensCli.OK;
        }

        void print(ObjectNode result, String human) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(human);
            if (json) {
                out.println(result.toString());
            }
            out.flush();
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true, description = "Training tokens per second at a preset.")
    static final class Train extends Common implements Callable<Integer> {
        @Option(names = "--preset", required = true, description = "S, M or L.")
        String preset;

        @Option(names = "--seconds", defaultValue = "20", description = "Measured seconds (default 20).")
        double seconds;

        @Override
        public Integer call() {
            return measurePreset("train", preset, "tokens_per_s", "tokens/s", null,
                    (p, kernels) -> TrainBench.run(p, kernels, seconds));
        }
    }

    @Command(name = "forward", mixinStandardHelpOptions = true, description = "Inference tokens per second at a preset.")
    static final class Forward extends Common implements Callable<Integer> {
        @Option(names = "--preset", required = true, description = "S, M or L.")
        String preset;

        @Option(names = "--capture", defaultValue = "none", description = "none, steps or all (default none).")
        String capture;

        @Option(names = "--seconds", defaultValue = "20", description = "Measured seconds (default 20).")
        double seconds;

        @Override
        public Integer call() {
            ForwardBench.plan(capture); // a bad plan is refused before anything runs
            return measurePreset("forward", preset, "tokens_per_s", "tokens/s", new String[] {"capture", capture},
                    (p, kernels) -> ForwardBench.run(p, kernels, capture, seconds),
                    (p, r) -> r.put("multiply_adds_per_token", ForwardBench.multiplyAddsPerToken(p, capture)));
        }
    }

    @Command(name = "gemm", mixinStandardHelpOptions = true,
            description = "GFLOP/s of a training step's matrix products at a preset's shapes.")
    static final class Gemm extends Common implements Callable<Integer> {
        @Option(names = "--preset", required = true, description = "S, M or L.")
        String preset;

        @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds (default 10).")
        double seconds;

        @Override
        public Integer call() {
            return measurePreset("gemm", preset, "gflops", "GFLOP/s", null,
                    (p, kernels) -> GemmBench.run(p, kernels, seconds));
        }
    }

    @Command(name = "decode", mixinStandardHelpOptions = true,
            description = "Decoding tokens per second of a synthetic model in the Ouro-1.4B layout.")
    static final class Decode extends Common implements Callable<Integer> {
        @Option(names = "--layout", defaultValue = "ouro-1.4b", description = "Model layout (ouro-1.4b).")
        String layout;

        @Option(names = "--layers", defaultValue = "4", description = "Decoder layers (24 is the real model; default 4).")
        int layers;

        @Option(names = "--dtype", defaultValue = "bf16", description = "Weight file dtype: bf16 or f32.")
        String dtype;

        @Option(names = "--prompt", defaultValue = "32", description = "Prompt tokens (default 32).")
        int prompt;

        @Option(names = "--tokens", defaultValue = "32", description = "Decoded tokens (default 32).")
        int tokens;

        @Override
        public Integer call() throws Exception {
            if (!layout.equals("ouro-1.4b")) {
                throw new InvalidInputException("--layout", "'" + layout + "' is not a known layout (ouro-1.4b)");
            }
            DType type = switch (dtype.toLowerCase(Locale.ROOT)) {
                case "bf16" -> DType.BF16;
                case "f32" -> DType.F32;
                default -> throw new InvalidInputException("--dtype", "'" + dtype + "' is not bf16 or f32");
            };
            if (layers < 1 || prompt < 1 || tokens < 3) {
                throw new InvalidInputException("decode", "need --layers ≥ 1, --prompt ≥ 1 and --tokens ≥ 3");
            }
            int k = threads();
            Path folder = Files.createTempDirectory("looplens-decode-");
            try (VectorKernels kernels = new VectorKernels(k)) {
                DecodeBench.Result res = DecodeBench.run(layers, type, prompt, tokens, kernels, folder);
                ObjectNode r = report("decode");
                r.put("layout", layout);
                r.put("layers", layers);
                r.put("dtype", dtype.toLowerCase(Locale.ROOT));
                r.set("tokens_per_s", stats(res.tokensPerSecond()));
                r.put("bytes_per_token", res.bytesPerToken());
                r.put("rss_bytes", res.rssBytes());
                r.put("weight_file_bytes", res.weightFileBytes());
                r.put("threads", k);
                print(r, String.format("decode %s × %d layers (%s): %.2f tokens/s median, %.2f GB read per token, "
                                + "RSS %.2f GB for a %.2f GB weight file", layout, layers, dtype,
                        res.tokensPerSecond().median(), res.bytesPerToken() / 1e9, res.rssBytes() / 1e9,
                        res.weightFileBytes() / 1e9));
            } finally {
                try (var files = Files.walk(folder)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
            return LoopLensCli.OK;
        }
    }

    @Command(name = "roofline", mixinStandardHelpOptions = true,
            description = "This machine's streamed memory bandwidth and best SGEMM rate.")
    static final class RooflineCommand extends Common implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            int k = threads();
            Timing passes = Roofline.bandwidthGbPerSecond(k, 1024);
            double bandwidth = passes.median();
            double gflops;
            try (VectorKernels kernels = new VectorKernels(k)) {
                gflops = Roofline.sgemmGflops(kernels);
            }
            ObjectNode r = report("roofline");
            r.put("bandwidth_gb_s", bandwidth);
            r.put("bandwidth_best_gb_s", passes.max());
            r.put("sgemm_gflops", gflops);
            r.put("threads", k);
            print(r, String.format("roofline: %.1f GB/s streamed read bandwidth (median of 8 passes; best %.1f), "
                    + "%.1f GFLOP/s best SGEMM (%d threads)", bandwidth, passes.max(), gflops, k));
            return LoopLensCli.OK;
        }
    }

    @Command(name = "kv-sharing", mixinStandardHelpOptions = true,
            description = "Answer accuracy and KV-cache bytes per token of each cache-sharing mode (full, last-step,"
                    + " first-step, mean), decoding the checkpoint's own held-out questions token by token.")
    static final class KvSharingCommand extends Common implements Callable<Integer> {
        @Mixin
        CheckpointOption checkpoint;

        @Option(names = "--questions", paramLabel = "N", defaultValue = "256",
                description = "Held-out (test split) questions of the checkpoint's task (default 256).")
        int questions;

        @Override
        public Integer call() {
            if (questions < 1 || questions > 100_000) {
                throw new InvalidInputException("--questions", "must lie in 1..100000, got " + questions);
            }
            var loaded = org.looplens.engine.train.TrainingSpecReader.ofCheckpoint(checkpoint.dir).orElseThrow(() ->
                    new InvalidInputException(checkpoint.dir.toString(), "has no training.json to take a task from"));
            var examples = loaded.task().create(loaded.source()).batch(org.looplens.engine.data.Split.TEST, 0, questions,
                    org.looplens.engine.data.Format.DIRECT);
            int k = threads();
            KvSharingBench.Result res;
            try (var model = checkpoint.load(spec.commandLine().getErr());
                 VectorKernels kernels = new VectorKernels(k)) {
                res = KvSharingBench.run(model, kernels, examples);
            }
            ObjectNode r = report("kv-sharing");
            r.put("checkpoint", checkpoint.dir.toString());
            r.put("questions", res.questions());
            r.put("full_forward_accuracy", res.fullForwardAccuracy());
            var modes = r.putArray("modes");
            long fullBytes = res.modes().getFirst().bytesPerToken();
            StringBuilder human = new StringBuilder(String.format(
                    "kv-sharing on %s, %d held-out questions (full forward: accuracy %.4f)%n",
                    checkpoint.dir, res.questions(), res.fullForwardAccuracy()));
            human.append(String.format("%-11s %9s %16s %13s %16s", "mode", "accuracy", "KV bytes/token", "vs full",
                    "peak KV bytes"));
            for (KvSharingBench.ModeResult m : res.modes()) {
                ObjectNode n = modes.addObject();
                n.put("mode", m.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'));
                n.put("accuracy", m.accuracy());
                n.put("correct", m.correct());
                n.put("bytes_per_token", m.bytesPerToken());
                n.put("memory_ratio", m.bytesPerToken() / (double) fullBytes);
                n.put("peak_cache_bytes", m.peakCacheBytes());
                human.append(String.format("%n%-11s %9.4f %16d %13s %16d", n.get("mode").asText(), m.accuracy(),
                        m.bytesPerToken(), m.bytesPerToken() == fullBytes ? "1" : "1/" + fullBytes / m.bytesPerToken(),
                        m.peakCacheBytes()));
            }
            r.put("threads", k);
            print(r, human.toString());
            return LoopLensCli.OK;
        }
    }
}
