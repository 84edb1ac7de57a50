package org.looplens.app.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * A controlled comparison of loop depth with chain of thought, as read by
 * {@link ExperimentSpecReader}: one task, one base model config (the parameter budget: N layers,
 * width, heads), shared training settings, and the members trained from them.
 *
 * @param name       a label for the report
 * @param task       the task, as in a training spec (no {@code format}: each member's kind sets it)
 * @param model      the base Ouro config; {@code total_ut_steps} is set per member
 * @param training   the training settings every member shares
 * @param members    the models compared, in report order
 * @param evaluation how much held-out data the comparison measures on
 * @param baseDir    the spec file's folder: relative checkpoint and task paths resolve against it
 * @param source     the spec file, for error messages
 */
public record ExperimentSpec(String name, JsonNode task, ObjectNode model, Training training, List<Member> members,
                             EvaluationSettings evaluation, Path baseDir, String source) {

    /**
     * Training settings shared by the members. Phases are JSON as in a training spec, copied
     * verbatim so that a member's derived spec hashes like a hand-written one.
     *
     * @param loopPhases phases of LoopLM members (T &gt; 1), e.g. Stage I then Stage II
     * @param phases     phases of the single-pass members (flat, deep, cot and loop with T = 1)
     * @param shared     the other training-spec fields (batch, seed, clip, eval, checkpoint, logEvery), verbatim
     */
    public record Training(JsonNode loopPhases, JsonNode phases, ObjectNode shared) {}

    /**
     * One model of the comparison.
     *
     * @param name       its name (also its training spec's name, which is part of the spec hash)
     * @param kind       loop, flat, deep or cot
     * @param loops      T for loop and deep members, 1 otherwise
     * @param phases     phases overriding the shared ones for this member, or null
     * @param checkpoint a folder to reuse when its training.json holds exactly this member's spec, or null
     */
    public record Member(String name, MemberKind kind, int loops, JsonNode phases, Path checkpoint) {}

    /**
     * @param questions        held-out TEST questions per member for accuracy
     * @param timingQuestions  questions answered one at a time to measure wall time
     * @param exitPoints       values of q in each LoopLM's Q-exit sweep
     * @param seed             seed handed to the faithfulness tests
     * @param bootstrap        bootstrap resamples for the faithfulness intervals
     * @param noiseSigma       the latent noise test's standard deviation, relative to the state's norm
     */
    public record EvaluationSettings(int questions, int timingQuestions, int exitPoints, long seed, int bootstrap,
                                     double noiseSigma) {}
}
