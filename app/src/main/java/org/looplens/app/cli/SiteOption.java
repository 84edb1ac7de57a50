package org.looplens.app.cli;

import java.util.Locale;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.trace.Site;
import org.looplens.engine.trace.SiteKind;

/** A site written as STEP,LAYER,KIND (per-layer kinds), STEP,KIND (per-step kinds) or embed; steps and layers 0-based. */
final class SiteOption {
    private SiteOption() {}

    static Site parse(String text, String option) {
        String[] parts = text.split(",");
        SiteKind kind;
        try {
            kind = SiteKind.valueOf(parts[parts.length - 1].trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(option, "'" + parts[parts.length - 1].trim() + "' is not a site kind");
        }
        try {
            return switch (kind.scope()) {
                case INPUT -> {
                    if (parts.length != 1) {
                        throw new InvalidInputException(option, kind.name().toLowerCase(Locale.ROOT) + " has no step or layer");
                    }
                    yield Site.embed();
                }
                case STEP -> {
                    if (parts.length != 2) {
                        throw new InvalidInputException(option, "write a per-step site as STEP,KIND, e.g. 2,step_hidden");
                    }
                    yield Site.step(Integer.parseInt(parts[0].trim()), kind);
                }
                case LAYER -> {
                    if (parts.length != 3) {
                        throw new InvalidInputException(option, "write a per-layer site as STEP,LAYER,KIND, e.g. 1,0,mid");
                    }
                    yield Site.layer(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()), kind);
                }
            };
        } catch (NumberFormatException e) {
            throw new InvalidInputException(option, "'" + text + "': the step and layer must be whole numbers");
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(option, "'" + text + "' is not a site: " + e.getMessage());
        }
    }
}
