package org.looplens.app.workbench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.looplens.engine.InvalidInputException;
import org.looplens.engine.io.AtomicFiles;

/**
 * A saved workspace: the checkpoint, the inspector's prompt and controls, the training spec and
 * run folder, and which view was in front. Written as JSON (atomically); a file that does not
 * parse is refused with its name and the problem, and the open workspace is left as it was.
 */
public final class Session {
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** The saved state; public fields so Jackson maps them directly. */
    public static final class State {
        public int version = VERSION;
        public String checkpoint;
        public String prompt = "";
        public boolean tokenIds;
        public int steps;
        public String exitPolicy = InspectorView.POLICY_LAST;
        public double q = 0.5;
        public int fixedStep = 1;
        public String quantity = "top1-prob";
        public String target = "";
        public List<String> history = new ArrayList<>();
        public ObjectNode trainingSpec;
        public String runFolder;
        public String openView = "inspector";
    }

    private Session() {}

    public static void save(State state, Path file) {
        try {
            AtomicFiles.writeString(file, JSON.writeValueAsString(state));
        } catch (IOException e) {
            throw new InvalidInputException(file.toString(), "cannot write the session: " + e.getMessage());
        }
    }

    public static State load(Path file) {
        try {
            State s = JSON.readValue(file.toFile(), State.class);
            if (s == null) {
                throw new InvalidInputException(file.toString(), "empty session file");
            }
            if (s.version > VERSION) {
                throw new InvalidInputException(file.toString(), "session version " + s.version
                        + " is newer than this LoopLens reads (" + VERSION + ")");
            }
            return checked(s, file.toString());
        } catch (JsonProcessingException e) {
            // Jackson's message runs over several lines (the source and location); keep the first.
            throw new InvalidInputException(file.toString(), "not a LoopLens session: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new InvalidInputException(file.toString(), "cannot read the session: " + e.getMessage());
        }
    }

    /**
     * Fields the file set to null get their defaults, and values the controls cannot show are
     * refused here, naming the field: restoring happens later, on the UI thread, past any handler.
     */
    private static State checked(State s, String source) {
        State defaults = new State();
        s.prompt = s.prompt == null ? defaults.prompt : s.prompt;
        s.exitPolicy = s.exitPolicy == null ? defaults.exitPolicy : s.exitPolicy;
        s.quantity = s.quantity == null ? defaults.quantity : s.quantity;
        s.target = s.target == null ? defaults.target : s.target;
        s.history = s.history == null ? defaults.history : new ArrayList<>(s.history.stream().filter(h -> h != null).toList());
        s.openView = s.openView == null ? defaults.openView : s.openView;
        if (!(s.q >= 0 && s.q <= 1)) {
            throw new InvalidInputException(source, "field 'q' must lie in [0, 1], got " + s.q);
        }
        if (s.steps < 0) {
            throw new InvalidInputException(source, "field 'steps' must be ≥ 0, got " + s.steps);
        }
        for (String[] field : new String[][] {{"checkpoint", s.checkpoint}, {"runFolder", s.runFolder}}) {
            if (field[1] != null) {
                try {
                    Path.of(field[1]);
                } catch (InvalidPathException e) {
                    throw new InvalidInputException(source, "field '" + field[0] + "': not a valid path (" + e.getReason() + ")");
                }
            }
        }
        return s;
    }
}
