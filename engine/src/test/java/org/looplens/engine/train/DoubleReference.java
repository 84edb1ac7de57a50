package org.looplens.engine.train;

import java.util.Map;
import org.looplens.engine.config.LoopConfig;
import org.looplens.engine.model.WeightNames;

/**
 * An independent double-precision implementation of the looped forward pass and the Stage I/II
 * losses, written plainly from the Ouro equations. Finite differences on it check the float
 * backward pass: in double, central differences are accurate to ~1e-9, far below what is tested.
 */
final class DoubleReference {
    private final LoopConfig c;
    private final Map<String, double[]> w;
    private final int steps;

    DoubleReference(LoopConfig c, Map<String, double[]> weights, int steps) {
        this.c = c;
        this.w = weights;
        this.steps = steps;
    }

    /** Stage I loss over every next-token position of each sequence, averaged over all of them. */
    double stageOne(int[][] sequences, double beta) {
        double total = 0;
        int count = 0;
        for (int[] seq : sequences) {
            double[][][] out = run(seq); // [step][pos][vocab + 1]: logits then the gate logit
            for (int i = 0; i + 1 < seq.length; i++) {
                double[] lambda = new double[steps];
                double[] ce = new double[steps];
                for (int t = 0; t < steps; t++) {
                    lambda[t] = 1 / (1 + Math.exp(-out[t][i][c.vocabSize()]));
                    ce[t] = crossEntropy(out[t][i], seq[i + 1]);
                }
                double[] p = new double[steps];
                ExitGradient.pdf(lambda, p);
                double row = 0;
                for (int t = 0; t < steps; t++) {
                    row += p[t] * ce[t];
                    if (p[t] > 0) {
                        row += beta * p[t] * Math.log(p[t]);
                    }
                }
                total += row;
                count++;
            }
        }
        return total / count;
    }

    /** Stage II loss with the per-token losses as constants (they are detached in training). */
    double stageTwo(int[][] sequences, double k, double gamma) {
        double total = 0;
        int count = 0;
        for (int[] seq : sequences) {
            double[][][] out = run(seq);
            for (int i = 0; i + 1 < seq.length; i++) {
                for (int t = 1; t < steps; t++) {
                    double improvement = Math.max(0, crossEntropy(out[t - 1][i], seq[i + 1])
                            - crossEntropy(out[t][i], seq[i + 1]));
                    double target = 1 / (1 + Math.exp(-k * (improvement - gamma)));
                    double lambda = 1 / (1 + Math.exp(-out[t][i][c.vocabSize()]));
                    total += -(target * Math.log(1 - lambda) + (1 - target) * Math.log(lambda)) / steps;
                }
                count++;
            }
        }
        return total / count;
    }

    private double crossEntropy(double[] logitsAndGate, int target) {
        int v = c.vocabSize();
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < v; j++) {
            max = Math.max(max, logitsAndGate[j]);
        }
        double sum = 0;
        for (int j = 0; j < v; j++) {
            sum += Math.exp(logitsAndGate[j] - max);
        }
        return max + Math.log(sum) - logitsAndGate[target];
    }

    /** Per step and position: the logits followed by the gate logit. */
    double[][][] run(int[] seq) {
        int len = seq.length;
        int h = c.hiddenSize();
        double[][] x = new double[len][];
        double[] embed = w.get(WeightNames.EMBED);
        for (int i = 0; i < len; i++) {
            x[i] = java.util.Arrays.copyOfRange(embed, seq[i] * h, (seq[i] + 1) * h);
        }
        double[] head = c.tieWordEmbeddings() ? embed : w.get(WeightNames.LM_HEAD);
        double[][][] out = new double[steps][len][];
        for (int t = 0; t < steps; t++) {
            for (int l = 0; l < c.numLayers(); l++) {
                x = layer(l, x);
            }
            for (int i = 0; i < len; i++) {
                x[i] = rms(x[i], w.get(WeightNames.NORM));
                double[] o = new double[c.vocabSize() + 1];
                for (int j = 0; j < c.vocabSize(); j++) {
                    o[j] = dot(x[i], head, j * h);
                }
                o[c.vocabSize()] = dot(x[i], w.get(WeightNames.GATE_WEIGHT), 0) + w.get(WeightNames.GATE_BIAS)[0];
                out[t][i] = o;
            }
        }
        return out;
    }

    private double[][] layer(int l, double[][] x) {
        int len = x.length;
        int d = c.headDim();
        int heads = c.numHeads();
        int group = heads / c.numKvHeads();
        double[][] q = new double[len][];
        double[][] k = new double[len][];
        double[][] v = new double[len][];
        for (int i = 0; i < len; i++) {
            double[] a = rms(x[i], p(l, "input_layernorm.weight"));
            q[i] = rope(linear(a, p(l, "self_attn.q_proj.weight"), c.qDim()), i, heads);
            k[i] = rope(linear(a, p(l, "self_attn.k_proj.weight"), c.kvDim()), i, c.numKvHeads());
            v[i] = linear(a, p(l, "self_attn.v_proj.weight"), c.kvDim());
        }
        double[][] mid = new double[len][];
        for (int i = 0; i < len; i++) {
            double[] ctx = new double[c.qDim()];
            for (int hh = 0; hh < heads; hh++) {
                int g = hh / group;
                double[] s = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    double sc = 0;
                    for (int e = 0; e < d; e++) {
                        sc += q[i][hh * d + e] * k[j][g * d + e];
                    }
                    s[j] = sc / Math.sqrt(d);
                    max = Math.max(max, s[j]);
                }
                double z = 0;
                for (int j = 0; j <= i; j++) {
                    s[j] = Math.exp(s[j] - max);
                    z += s[j];
                }
                for (int j = 0; j <= i; j++) {
                    for (int e = 0; e < d; e++) {
                        ctx[hh * d + e] += s[j] / z * v[j][g * d + e];
                    }
                }
            }
            double[] attn = rms(linear(ctx, p(l, "self_attn.o_proj.weight"), c.hiddenSize()),
                    p(l, "input_layernorm_2.weight"));
            mid[i] = add(x[i], attn);
        }
        double[][] outRows = new double[len][];
        for (int i = 0; i < len; i++) {
            double[] m = rms(mid[i], p(l, "post_attention_layernorm.weight"));
            double[] gate = linear(m, p(l, "mlp.gate_proj.weight"), c.intermediateSize());
            double[] up = linear(m, p(l, "mlp.up_proj.weight"), c.intermediateSize());
            for (int j = 0; j < gate.length; j++) {
                gate[j] = gate[j] / (1 + Math.exp(-gate[j])) * up[j];
            }
            double[] mlp = rms(linear(gate, p(l, "mlp.down_proj.weight"), c.hiddenSize()),
                    p(l, "post_attention_layernorm_2.weight"));
            outRows[i] = add(mid[i], mlp);
        }
        return outRows;
    }

    private double[] p(int layer, String suffix) {
        return w.get(WeightNames.layer(layer, suffix));
    }

    private double[] rope(double[] x, int pos, int heads) {
        int d = c.headDim();
        int half = d / 2;
        double[] out = x.clone();
        for (int hh = 0; hh < heads; hh++) {
            for (int j = 0; j < half; j++) {
                double angle = pos / Math.pow(c.ropeTheta(), 2.0 * j / d);
                double x1 = x[hh * d + j];
                double x2 = x[hh * d + half + j];
                out[hh * d + j] = x1 * Math.cos(angle) - x2 * Math.sin(angle);
                out[hh * d + half + j] = x2 * Math.cos(angle) + x1 * Math.sin(angle);
            }
        }
        return out;
    }

    private double[] rms(double[] x, double[] weight) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        double inv = 1 / Math.sqrt(s / x.length + c.rmsNormEps());
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * inv * weight[i];
        }
        return out;
    }

    private static double[] linear(double[] x, double[] weight, int outDim) {
        double[] out = new double[outDim];
        for (int j = 0; j < outDim; j++) {
            out[j] = dot(x, weight, j * x.length);
        }
        return out;
    }

    private static double dot(double[] x, double[] w, int off) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * w[off + i];
        }
        return s;
    }

    private static double[] add(double[] a, double[] b) {
        double[] s = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }
}
