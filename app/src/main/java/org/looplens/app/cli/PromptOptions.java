package org.looplens.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.looplens.analyses.lens.LensQuantity;
import org.looplens.analyses.lens.StepLens;
import org.looplens.app.inspect.ChatPrompt;
import org.looplens.app.inspect.InspectSettings;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.app.inspect.PromptInspection;
import org.looplens.engine.InvalidInputException;
import picocli.CommandLine.Option;

/**
 * What the commands that draw a prompt share with the inspector: the checkpoint, the prompt (text
 * ids or a ChatML chat), the loop steps, the exit policy and the heatmap quantity.
 */
final class PromptOptions {
    @Option(names = {"-c", "--checkpoint"}, paramLabel = "DIR", description = "Checkpoint folder.")
    Path checkpoint;

    @Option(names = "--text", paramLabel = "STR", description = "Prompt text, encoded with the checkpoint's tokenizer.")
    String text;

    @Option(names = "--tokens", paramLabel = "IDS", description = "Prompt as comma-separated token ids.")
    String tokens;

    @Option(names = "--chat", paramLabel = "ROLE: TEXT",
            description = "A chat message, e.g. \"user: hi\" (repeat for turns), formatted as ChatML.")
    List<String> chat;

    @Option(names = "--chat-file", paramLabel = "FILE", description = "A chat as JSON: [{\"role\": ..., \"content\": ...}].")
    Path chatFile;

    @Option(names = "--no-generation-prompt", description = "Do not open the assistant's turn after the chat.")
    boolean noGenerationPrompt;

    @Option(names = "--steps", paramLabel = "T", description = "Loop steps (default: the trained T; more extrapolates).")
    Integer steps;

    @Option(names = "--exit", paramLabel = "POLICY", description = "Exit policy: last, mixture, step=K or q=X (default last).")
    String exit;

    @Option(names = "--quantity", paramLabel = "Q", defaultValue = "top1-prob",
            description = "Heatmap quantity: top1-prob, entropy, lambda, exit-pdf, kl-to-final, final-rank, target-prob, "
                    + "target-rank (the last two need --target; default top1-prob).")
    String quantity;

    @Option(names = "--target", paramLabel = "TOKEN",
            description = "A token to follow through the steps (an id or its text, e.g. the expected answer).")
    String target;

    /** Opens the checkpoint (its warnings to {@code err}); {@code what} names the command for the error. */
    OpenCheckpoint open(String what, PrintWriter err) {
        return open(what, dir -> CheckpointOption.open(dir, err));
    }

    /** Opens the checkpoint through an analysis's opener, after checking the options. */
    OpenCheckpoint open(String what, CheckpointOpener opener) {
        if (checkpoint == null) {
            throw new InvalidInputException("--checkpoint", what + " needs a checkpoint and a prompt");
        }
        if (steps != null && steps < 1) {
            throw new InvalidInputException("--steps", "must be at least 1, got " + steps);
        }
        return opener.open(checkpoint);
    }

    /** The prompt as text: --text, or the chat formatted with the checkpoint's template; null for --tokens. */
    String text(OpenCheckpoint open) {
        boolean isChat = chat != null || chatFile != null;
        if (isChat && (text != null || tokens != null)) {
            throw new InvalidInputException("input", "give exactly one of --text, --tokens or --chat/--chat-file");
        }
        return isChat ? ChatPrompt.text(open.dir(), ChatPrompt.messages(chat, chatFile), !noGenerationPrompt) : text;
    }

    /** The prompt's token ids (text and chats through the checkpoint's tokenizer). */
    int[] tokens(OpenCheckpoint open) {
        return PromptInspection.tokens(open, text(open), tokens);
    }

    InspectSettings settings(OpenCheckpoint open, int topK) {
        return new InspectSettings(steps == null ? 0 : steps,
                ExitPolicies.parse(exit == null ? "last" : exit, open.model().config().earlyExitThreshold()),
                Math.max(1, topK), target == null ? StepLens.NO_TARGET : open.token(target, "--target"));
    }

    LensQuantity quantity() {
        LensQuantity q;
        try {
            q = LensQuantity.parse(quantity);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--quantity", e.getMessage());
        }
        if (q.needsTarget() && target == null) {
            throw new InvalidInputException("--quantity", q.key() + " needs a target token: give --target");
        }
        return q;
    }
}
