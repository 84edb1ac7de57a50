package org.looplens.app.workbench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import org.controlsfx.control.PropertySheet;
import org.looplens.app.cli.Analyses;

/**
 * The settings of one analysis kind as a property sheet: one row per option of its command, with
 * the option's help as the description and its default filled in. Values are kept per kind for
 * the session and turned into command-line arguments for the run.
 */
final class AnalysisSettings extends PropertySheet {
    private final Map<String, Map<String, Object>> values = new LinkedHashMap<>();
    private Analyses.Kind kind;

    AnalysisSettings() {
        setId("analysis-settings");
        setMode(Mode.NAME);
        setModeSwitcherVisible(false);
        setSearchBoxVisible(false);
    }

    void show(Analyses.Kind shown) {
        kind = shown;
        Map<String, Object> v = values.computeIfAbsent(shown.name(), n -> defaults(shown));
        List<Item> items = new ArrayList<>();
        for (Analyses.Setting s : shown.settings()) {
            items.add(new SettingItem(s, v));
        }
        getItems().setAll(FXCollections.observableArrayList(items));
    }

    private static Map<String, Object> defaults(Analyses.Kind kind) {
        Map<String, Object> v = new LinkedHashMap<>();
        for (Analyses.Setting s : kind.settings()) {
            v.put(s.name(), parse(s, s.defaultValue()));
        }
        return v;
    }

    /** Sets one option of a kind (by its name, e.g. "--questions") from text, as a user would type it. */
    void set(String kindName, String option, String text) {
        Analyses.Kind k = Analyses.kinds().stream().filter(x -> x.name().equals(kindName)).findFirst().orElseThrow();
        Analyses.Setting s = k.settings().stream().filter(x -> x.name().equals(option)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(kindName + " has no option " + option));
        values.computeIfAbsent(kindName, n -> defaults(k)).put(option, parse(s, text));
        if (kind != null && kind.name().equals(kindName)) {
            show(kind);
        }
    }

    /** Fills a text option with a value only where the user has left it empty (e.g. the inspector's prompt). */
    void suggest(String option, String text) {
        boolean changed = false;
        for (Analyses.Kind k : Analyses.kinds()) {
            Map<String, Object> v = values.computeIfAbsent(k.name(), n -> defaults(k));
            if (v.containsKey(option) && v.get(option) instanceof String old && old.isBlank()) {
                v.put(option, text);
                changed = true;
            }
        }
        if (kind != null && changed) { // the sheet is rebuilt only when a value it shows may have changed
            show(kind);
        }
    }

    /** The shown kind's values as command-line arguments; unset options are left out. */
    List<String> arguments() {
        List<String> args = new ArrayList<>();
        Map<String, Object> v = values.get(kind.name());
        for (Analyses.Setting s : kind.settings()) {
            Object value = v.get(s.name());
            if (s.type() == Analyses.ValueType.SWITCH) {
                if (Boolean.TRUE.equals(value)) {
                    args.add(s.name());
                }
            } else if (value != null && !value.toString().isBlank()) {
                args.add(s.name());
                args.add(value instanceof Double d ? String.format(Locale.ROOT, "%s", d) : value.toString());
            }
        }
        return args;
    }

    /**
     * The editor's value type. An option without a default (e.g. "--steps: the trained T") is
     * edited as text, so that empty can mean "not given"; the sheet's editors hold no nulls.
     */
    private static Class<?> editorType(Analyses.Setting s) {
        return switch (s.type()) {
            case SWITCH -> Boolean.class;
            case INTEGER -> s.defaultValue() == null ? String.class : Integer.class;
            case NUMBER -> s.defaultValue() == null ? String.class : Double.class;
            case TEXT -> String.class;
        };
    }

    private static Object parse(Analyses.Setting s, String text) {
        Class<?> type = editorType(s);
        String t = text == null ? "" : text.trim();
        try {
            if (type == Boolean.class) {
                return Boolean.valueOf(t);
            }
            if (type == Integer.class) {
                return Integer.valueOf(t);
            }
            if (type == Double.class) {
                return Double.valueOf(t);
            }
        } catch (NumberFormatException e) {
            // keep the text: picocli names the option when the run parses it
        }
        return text == null ? "" : text;
    }

    /** One option as a sheet row, read and written in the kind's value map. */
    private static final class SettingItem implements Item {
        private final Analyses.Setting setting;
        private final Map<String, Object> values;

        SettingItem(Analyses.Setting setting, Map<String, Object> values) {
            this.setting = setting;
            this.values = values;
        }

        @Override
        public Class<?> getType() {
            return editorType(setting);
        }

        @Override
        public String getCategory() {
            return setting.required() ? "required" : "options";
        }

        @Override
        public String getName() {
            return setting.name().substring(2) + (setting.required() ? " *" : "");
        }

        @Override
        public String getDescription() {
            return setting.description();
        }

        @Override
        public Object getValue() {
            return values.get(setting.name());
        }

        @Override
        public void setValue(Object value) {
            values.put(setting.name(), value);
        }

        @Override
        public Optional<ObservableValue<? extends Object>> getObservableValue() {
            return Optional.empty();
        }
    }
}
