package org.looplens.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.looplens.analyses.readout.PositionReadout;
import org.looplens.analyses.readout.StepPrediction;
import org.looplens.analyses.readout.StepReadout;
import org.looplens.engine.data.Tokenizer;
import org.looplens.engine.data.Tokenizers;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.LoopModel;
import org.looplens.engine.run.ExitPolicy;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.RunResult;
import org.looplens.engine.trace.CapturePlan;
import org.looplens.engine.trace.SiteKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code looplens inspect}: what every loop step predicts at every position. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show each loop step's top-1 prediction, λ, exit pdf and entropy per position.")
final class InspectCommand implements Callable<Integer> {
    @Mixin
    SequenceOptions sequence;

    @Option(names = "--exit", paramLabel = "POLICY",
            description = "Exit policy: last, mixture, step=K or q=X (default: q = early_exit_threshold).")
    String exit;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "3", description = "Predictions kept per step in --json (default 3).")
    int topK;

    @Option(names = "--json", description = "Print the same numbers as JSON.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoopModel model = sequence.load(err);
        int[] tokens = sequence.tokens(model);
        ExitPolicy policy = ExitPolicies.parse(exit, model.config().earlyExitThreshold());
        RunOptions options = sequence.options()
                .withExitPolicy(policy)
                .withCapture(CapturePlan.kinds(SiteKind.STEP_LOGITS));
        RunResult run = new LoopRunner(model, CpuKernels.shared()).forward(tokens, options);
        StepReadout readout = StepReadout.of(run, Math.max(1, topK));
        Optional<Tokenizer> tok = Tokenizers.forCheckpoint(sequence.dir());
        if (json) {
            out.println(toJson(model, run, readout, policy, tok));
        } else {
            printTable(out, model, run, readout, policy, tok);
        }
        return LoopLensCli.OK;
    }

    private static String show(Optional<Tokenizer> tok, int id) {
        return tok.map(t -> "'" + t.decode(id).replace("\n", "\\n") + "'").orElse("#" + id);
    }

    private void printTable(PrintWriter out, LoopModel model, RunResult run, StepReadout readout, ExitPolicy policy,
                            Optional<Tokenizer> tok) {
        int trained = model.config().totalUtSteps();
        out.printf("checkpoint %s: %d layers × %d steps%s, exit policy: %s%n", sequence.dir(),
                model.config().numLayers(), run.steps(),
                run.steps() > trained ? " (extrapolating beyond the trained " + trained + ")" : "",
                ExitPolicies.describe(policy));
        StringBuilder head = new StringBuilder(String.format("%4s %-8s", "pos", "token"));
        for (int t = 0; t < run.steps(); t++) {
            head.append(String.format(" | t%-2d %-8s %5s %5s %5s", t, "top1", "p", "λ", "p(t)"));
        }
        head.append(" | H(exit) exit");
        out.println(head);
        for (PositionReadout p : readout.positions()) {
            StringBuilder row = new StringBuilder(String.format("%4d %-8s", p.position(), show(tok, p.token())));
            for (StepPrediction s : p.steps()) {
                row.append(String.format(" | %-12s %5.3f %5.3f %5.3f", show(tok, s.top1()), s.top1Prob(),
                        s.lambda(), s.exitPdf()));
            }
            row.append(String.format(" | %7.3f %4s", p.exitEntropy(), p.exitStep() < 0 ? "mix" : "t" + p.exitStep()));
            out.println(row);
        }
    }

    private String toJson(LoopModel model, RunResult run, StepReadout readout, ExitPolicy policy,
                          Optional<Tokenizer> tok) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("checkpoint", sequence.dir().toString());
        root.put("steps", run.steps());
        root.put("trainedSteps", model.config().totalUtSteps());
        root.put("exitPolicy", ExitPolicies.describe(policy));
        ArrayNode positions = root.putArray("positions");
        for (PositionReadout p : readout.positions()) {
            ObjectNode pos = positions.addObject();
            pos.put("position", p.position());
            pos.put("token", p.token());
            tok.ifPresent(t -> pos.put("text", t.decode(p.token())));
            ArrayNode stepsNode = pos.putArray("steps");
            for (StepPrediction s : p.steps()) {
                ObjectNode sn = stepsNode.addObject();
                sn.put("step", s.step());
                sn.put("top1", s.top1());
                tok.ifPresent(t -> sn.put("top1Text", t.decode(s.top1())));
                sn.put("top1Prob", s.top1Prob());
                sn.put("entropy", s.entropy());
                sn.put("lambda", s.lambda());
                sn.put("exitPdf", s.exitPdf());
                ArrayNode topTokens = sn.putArray("topTokens");
                ArrayNode topProbs = sn.putArray("topProbs");
                for (int i = 0; i < s.topTokens().length; i++) {
                    topTokens.add(s.topTokens()[i]);
                    topProbs.add(s.topProbs()[i]);
                }
            }
            pos.put("exitEntropy", p.exitEntropy());
            pos.put("expectedDepth", p.expectedDepth());
            pos.put("exitStep", p.exitStep());
        }
        return root.toString();
    }
}
