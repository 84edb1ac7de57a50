package org.looplens.app.figures;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import org.looplens.analyses.lens.LayerLens;

/** The layer lens: the final answer's probability read off every layer of every loop step. */
public final class LayerLensFigure {
    private LayerLensFigure() {}

    public static Figure of(LayerLens lens, IntFunction<String> tokenText) {
        String title = "Logit lens at position " + lens.position() + ": p(" + tokenText.apply(lens.answer()) + ")";
        StringBuilder csv = new StringBuilder("step,layer,answer_prob,top1\n");
        for (int t = 0; t < lens.answerProb().length; t++) {
            for (int l = 0; l < lens.answerProb()[t].length; l++) {
                csv.append(String.format(Locale.ROOT, "%d,%d,%s,%d%n", t, l, lens.answerProb()[t][l], lens.top1()[t][l]));
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("position", lens.position());
        json.put("answer", lens.answer());
        json.put("answer_text", tokenText.apply(lens.answer()));
        json.put("answer_prob", lens.answerProb());
        json.put("top1", lens.top1());
        json.put("note", "a lens: the final norm and head applied to layer outputs, not a trained readout");
        return new Figure("layer-lens", StepLayerHeatmap.chart(title, "lens probability", lens.answerProb(), 0, 1),
                csv.toString(), json);
    }
}
