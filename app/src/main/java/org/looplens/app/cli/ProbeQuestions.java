package org.looplens.app.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.data.Example;
import org.looplens.engine.data.Format;
import org.looplens.engine.data.Split;
import org.looplens.engine.train.TrainingSpecReader;
import picocli.CommandLine.Option;

/**
 * The labelled questions probes learn from: a task spec's split, with the intermediate entity
 * after every hop. Repeated questions are dropped, so no question sits in both the train and the
 * held-out fold.
 */
final class ProbeQuestions {
    @Option(names = "--spec", paramLabel = "SPEC.json",
            description = "Training spec whose task supplies the questions (default: the spec in the checkpoint's "
                    + "training.json, i.e. the task it was trained on).")
    Path spec;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test",
            description = "train, validation or test (default test).")
    String split;

    @Option(names = "--questions", paramLabel = "N", defaultValue = "2048",
            description = "Questions drawn from the split before repeats are dropped (default 2048).")
    int questions;

    List<Example> load(OpenCheckpoint open) {
        if (questions < 1 || questions > 100_000) {
            throw new InvalidInputException("--questions", "must lie in 1..100000, got " + questions);
        }
        Split s = switch (split) {
            case "train" -> Split.TRAIN;
            case "validation" -> Split.VALIDATION;
            case "test" -> Split.TEST;
            default -> throw new InvalidInputException("--split", "'" + split + "' is not train, validation or test");
        };
        List<Example> out = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        TrainingSpecReader.Loaded loaded = spec != null ? TrainingSpecReader.read(spec)
                : TrainingSpecReader.ofCheckpoint(open.dir()).orElseThrow(() -> new InvalidInputException("--spec",
                        open.name() + " has no training.json to take a task from: give a task spec"));
        for (Example e : loaded.task().create().batch(s, 0, questions, Format.DIRECT)) {
            if (e.intermediates().length == 0) {
                throw new InvalidInputException("--spec", "the task's questions record no intermediate results; probes"
                        + " need a task that does, such as multihop");
            }
            if (keys.add(e.key())) {
                out.add(e);
            }
        }
        return out;
    }
}
