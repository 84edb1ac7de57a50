package org.looplens.app.compare;

import java.nio.file.Path;
import org.looplens.engine.train.TrainingSpecReader;

/**
 * A member with a finished checkpoint to measure.
 *
 * @param member     the member as specified
 * @param spec       its derived training spec (with the hash that picked or made the checkpoint)
 * @param dir        the checkpoint folder
 * @param provenance where the checkpoint came from
 */
public record PreparedMember(ExperimentSpec.Member member, TrainingSpecReader.Loaded spec, Path dir,
                             Provenance provenance) {

    public enum Provenance {
        /** the member's named checkpoint holds exactly its spec: used as is */
        REUSED,
        /** trained earlier into the comparison's own folder (a rerun) */
        ALREADY_TRAINED,
        /** trained by this run from the start */
        TRAINED,
        /** this run continued an interrupted training */
        RESUMED;

        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
