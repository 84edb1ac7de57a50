package org.looplens.engine.trace;

/**
 * A place in the looped computation: a kind at a 0-based step and layer. Step-level kinds have
 * layer {@link #NO_LAYER}; {@link SiteKind#EMBED} has step and layer {@link #NO_LAYER}.
 */
public record Site(int step, int layer, SiteKind kind) {
    public static final int NO_LAYER = -1;

    public Site {
        switch (kind.scope()) {
            case INPUT -> {
                if (step != NO_LAYER || layer != NO_LAYER) {
                    throw new IllegalArgumentException(kind + " has no step or layer");
                }
            }
            case STEP -> {
                if (step < 0 || layer != NO_LAYER) {
                    throw new IllegalArgumentException(kind + " needs a step ≥ 0 and no layer");
                }
            }
            case LAYER -> {
                if (step < 0 || layer < 0) {
                    throw new IllegalArgumentException(kind + " needs a step ≥ 0 and a layer ≥ 0");
                }
            }
        }
    }

    public static Site embed() {
        return new Site(NO_LAYER, NO_LAYER, SiteKind.EMBED);
    }

    public static Site step(int step, SiteKind kind) {
        return new Site(step, NO_LAYER, kind);
    }

    public static Site layer(int step, int layer, SiteKind kind) {
        return new Site(step, layer, kind);
    }

    @Override
    public String toString() {
        return switch (kind.scope()) {
            case INPUT -> kind.name().toLowerCase();
            case STEP -> "t" + step + "." + kind.name().toLowerCase();
            case LAYER -> "t" + step + ".l" + layer + "." + kind.name().toLowerCase();
        };
    }
}
