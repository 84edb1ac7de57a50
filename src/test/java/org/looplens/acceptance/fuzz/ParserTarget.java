package org.looplens.acceptance.fuzz;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.looplens.analyses.prompts.PromptSet;
import org.looplens.app.compare.ExperimentSpecReader;
import org.looplens.app.workbench.Session;
import org.looplens.app.workbench.WorkbenchSettings;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.data.CharTokenizer;
import org.looplens.engine.data.HfTokenizer;
import org.looplens.engine.data.TaskSpec;
import org.looplens.engine.data.Vocabulary;
import org.looplens.engine.io.SafetensorsFile;
import org.looplens.engine.train.TrainingSpecReader;

/**
 * Every parser of user input, each with the file name it reads and what a full read does. The
 * fuzz tests per parser and the one over all of them (for a single short run in CI) share these.
 */
enum ParserTarget {
    /** Opened, and every float tensor read and scanned. */
    SAFETENSORS("SafetensorsFuzzTestInputs/open", "model.safetensors", file -> {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                if (f.info(name).dtype().readableAsFloat()) {
                    f.readFloats(name);
                    f.scanNonFinite(name);
                }
            }
            return f.metadata();
        }
    }),
    CONFIG("LoopConfigFuzzTestInputs/read", "config.json", LoopConfig::read),
    /** Loaded by the native tokenizers library; a panic there must not take the JVM. */
    HF_TOKENIZER("HfTokenizerFuzzTestInputs/load", "tokenizer.json", file -> {
        try (HfTokenizer t = HfTokenizer.load(file)) {
            return t.vocabSize();
        }
    }),
    CHAR_TOKENIZER("CharTokenizerFuzzTestInputs/read", "looplens-tokenizer.json", CharTokenizer::read),
    TRAINING_SPEC("TrainingSpecFuzzTestInputs/read", "spec.json", TrainingSpecReader::read),
    /** A checkpoint's training.json, whose spec is read back when the checkpoint is opened. */
    CHECKPOINT_SPEC("CheckpointSpecFuzzTestInputs/ofCheckpoint", "training.json", file -> TrainingSpecReader.ofCheckpoint(file.getParent())),
    TASK_SPEC("TaskSpecFuzzTestInputs/read", "task.json", TaskSpec::read),
    EXPERIMENT_SPEC("ExperimentSpecFuzzTestInputs/read", "experiment.json", ExperimentSpecReader::read),
    SESSION("SessionFuzzTestInputs/load", "session.looplens.json", Session::load),
    /** Settings never stop the workbench from starting: loading returns values the window can use. */
    WORKBENCH_SETTINGS("WorkbenchSettingsFuzzTestInputs/load", "workbench.json", file -> {
        WorkbenchSettings.Values v = WorkbenchSettings.load(file.getParent()).values();
        assertNotNull(v.recentCheckpoints, "recentCheckpoints");
        assertTrue(v.recentCheckpoints.stream().allMatch(p -> p != null), "a null recent checkpoint");
        assertNotNull(v.theme, "theme");
        assertTrue(Double.isFinite(v.width) && v.width > 0 && Double.isFinite(v.height) && v.height > 0,
                () -> "window size " + v.width + " x " + v.height);
        assertTrue(v.divider >= 0 && v.divider <= 1, () -> "divider " + v.divider);
        return v;
    }),
    /** Encoded with a word vocabulary, as a checkpoint's tokenizer would. */
    PROMPT_SET("PromptSetFuzzTestInputs/read", "prompts.jsonl", file -> PromptSet.read(file, Words.VOCABULARY::encode));

    private final String seeds;
    private final String fileName;
    private final ParserContract.Parse parse;

    ParserTarget(String seeds, String fileName, ParserContract.Parse parse) {
        this.seeds = seeds;
        this.fileName = fileName;
        this.parse = parse;
    }

    /** The folder of this parser's seed corpus, relative to this package's resources. */
    String seeds() {
        return seeds;
    }

    /** Parses {@code input} as this target's file and checks the contract; true if it was accepted. */
    boolean check(byte[] input) {
        return ParserContract.check(input, fileName, parse);
    }

    private static final class Words {
        static final Vocabulary VOCABULARY = Vocabulary.ofWords(List.of("e0", "e1", "e2", "r0", "r1", "="));
    }
}
