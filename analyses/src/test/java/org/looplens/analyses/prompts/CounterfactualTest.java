package org.looplens.analyses.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.engine.data.Example;
import org.looplens.engine.data.Format;
import org.looplens.engine.data.MultiHopTask;
import org.looplens.engine.data.Split;

/** Multi-hop counterfactuals: one start entity changed, the chain kept, the answer recomputed. */
class CounterfactualTest {
    private final MultiHopTask task = new MultiHopTask(16, 3, 3, 3, 0.3, 0.3, 5);

    @TempDir
    Path dir;

    @Test
    void theCounterfactualChangesOnlyTheStartAndAnswersTheSameChainFromThere() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            Example e = task.example(Split.TEST, i, Format.DIRECT);
            Counterfactual c = Counterfactual.multiHop(task, e, 1);
            assertEquals(e.answerStart(), c.tokens().length);
            for (int k = 0; k < c.tokens().length; k++) {
                if (k != 1) {
                    assertEquals(e.tokens()[k], c.tokens()[k], "token " + k);
                }
            }
            assertNotEquals(e.tokens()[1], c.tokens()[1]);
            assertNotEquals(e.answer()[0], c.label(), "a permutation chain maps another start elsewhere");
            int entity = c.tokens()[1] - task.entityToken(0);
            for (int k = 2; k < c.tokens().length - 1; k++) {
                entity = task.apply(c.tokens()[k] - task.relationToken(0), entity);
            }
            assertEquals(task.entityToken(entity), c.label());
            assertEquals(c.label(), Counterfactual.multiHop(task, e, 1).label(), "reproducible");
            lines.append(PromptSet.line(e, c)).append('\n');
        }
        Path file = dir.resolve("pairs.jsonl");
        Files.writeString(file, lines);
        var prompts = PromptSet.read(file, s -> { throw new AssertionError("ids only"); });
        assertEquals(30, prompts.size());
        Example e0 = task.example(Split.TEST, 0, Format.DIRECT);
        assertEquals(Counterfactual.multiHop(task, e0, 1).label(), prompts.get(0).counterfactualLabel());
        assertEquals(e0.answer()[0], prompts.get(0).label());
    }
}
