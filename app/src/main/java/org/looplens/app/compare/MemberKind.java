package org.looplens.app.compare;

import java.util.Locale;

/**
 * The kinds of model a comparison trains from one base config (N layers): a LoopLM that runs the
 * N shared layers T times, a flat model (the same N layers once), a deep model with the LoopLM's
 * compute in distinct layers (N × T layers, once), and a chain-of-thought model (N layers once,
 * trained to write the intermediate results before the answer).
 */
public enum MemberKind {
    LOOP,
    FLAT,
    DEEP,
    COT;

    /** The JSON spelling: {@code loop}, {@code flat}, {@code deep} or {@code cot}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Loop and deep members say how many loop steps (T) they stand for. */
    public boolean takesLoops() {
        return this == LOOP || this == DEEP;
    }

    static MemberKind parse(String text) {
        for (MemberKind k : values()) {
            if (k.jsonName().equals(text)) {
                return k;
            }
        }
        return null;
    }
}
