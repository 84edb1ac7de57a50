package org.looplens.app.cli;

import java.nio.file.Path;
import java.util.List;
import org.looplens.analyses.exit.Question;
import org.looplens.analyses.prompts.PromptSet;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.app.inspect.PromptInspection;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.data.Format;
import org.looplens.engine.data.Split;
import org.looplens.engine.train.TrainingSpecReader;
import picocli.CommandLine.Option;

/** Where the questions of an analysis come from: a task spec's split, or a prompt set. */
final class QuestionOptions {
    @Option(names = "--spec", paramLabel = "SPEC.json",
            description = "Training spec whose task supplies the questions (default: the spec in the checkpoint's "
                    + "training.json, i.e. the task it was trained on).")
    Path spec;

    @Option(names = "--prompts", paramLabel = "FILE.jsonl", description = "A prompt set (text or tokens, and label per line).")
    Path prompts;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test", description = "validation or test (default test).")
    String split;

    @Option(names = "--questions", paramLabel = "N", defaultValue = "512", description = "Questions from --spec (default 512).")
    int questions;

    List<Question> load(OpenCheckpoint open) {
        if (spec != null && prompts != null) {
            throw new InvalidInputException("--spec/--prompts", "give one source of questions, not both");
        }
        if (prompts != null) {
            return PromptSet.read(prompts, text -> PromptInspection.tokens(open, text, null)).stream()
                    .map(PromptSet.Prompt::question).toList();
        }
        if (questions < 1 || questions > 100_000) {
            throw new InvalidInputException("--questions", "must lie in 1..100000, got " + questions);
        }
        Split s = switch (split) {
            case "validation" -> Split.VALIDATION;
            case "test" -> Split.TEST;
            default -> throw new InvalidInputException("--split", "'" + split + "' is not validation or test");
        };
        TrainingSpecReader.Loaded loaded = spec != null ? TrainingSpecReader.read(spec)
                : TrainingSpecReader.ofCheckpoint(open.dir()).orElseThrow(() -> new InvalidInputException("--spec/--prompts",
                        open.name() + " has no training.json to take a task from: give a task spec or a prompt set"));
        return loaded.task().create().batch(s, 0, questions, Format.DIRECT).stream().map(Question::of).toList();
    }
}
