package org.looplens.engine.data;

import java.util.Arrays;

/**
 * The token layout every question/answer task shares, so a trainer and the analyses can treat
 * them alike:
 *
 * <pre>
 *   DIRECT:  &lt;bos&gt; question… =  answer… &lt;eos&gt;
 *   COT:     &lt;bos&gt; question… ?  step… =  answer… &lt;eos&gt;
 * </pre>
 *
 * The loss counts the predictions of everything after the question's separator ({@code =} in
 * DIRECT, {@code ?} in COT) up to and including {@code <eos>}: the answer and, in COT, the steps
 * and the {@code =} that closes them (so the model learns when its reasoning is done). Predicting
 * the question itself would only teach the task's input distribution.
 */
final class QaLayout {
    static final String ASK = "?";
    static final String EQUALS = "=";

    private QaLayout() {}

    /** Upper bound on the length of a layout with these part sizes. */
    static int length(Format format, int questionLength, int steps, int answerLength) {
        return 1 + questionLength + (format == Format.COT ? 1 + steps : 0) + 1 + answerLength + 1;
    }

    static Example build(Vocabulary v, Format format, int[] question, int[] steps, int[] answer,
                         int difficulty, int[] intermediates, String key) {
        int[] tokens = new int[length(format, question.length, steps.length, answer.length)];
        int n = 0;
        tokens[n++] = Vocabulary.BOS;
        for (int t : question) {
            tokens[n++] = t;
        }
        int targetStart;
        if (format == Format.COT) {
            tokens[n++] = v.id(ASK);
            targetStart = n;
            for (int t : steps) {
                tokens[n++] = t;
            }
            tokens[n++] = v.id(EQUALS);
        } else {
            tokens[n++] = v.id(EQUALS);
            targetStart = n;
        }
        int answerStart = n;
        for (int t : answer) {
            tokens[n++] = t;
        }
        tokens[n++] = Vocabulary.EOS;
        boolean[] mask = new boolean[tokens.length - 1];
        Arrays.fill(mask, targetStart - 1, mask.length, true);
        return new Example(tokens, mask, answerStart, answer.clone(), difficulty, intermediates, key, v.decode(tokens));
    }
}
