package org.looplens.app.workbench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import org.controlsfx.control.PropertySheet;

/**
 * A training spec's JSON as a property sheet: one editable row per leaf value (numbers, text,
 * switches), grouped by the top-level section, written back into the JSON as it is edited.
 */
final class SpecSheet extends PropertySheet {
    private ObjectNode spec = JsonNodeFactory.instance.objectNode();
    private final List<Runnable> onEdit = new ArrayList<>();

    SpecSheet() {
        setId("spec-sheet");
        setMode(Mode.CATEGORY);
        setSearchBoxVisible(false);
    }

    void setSpec(ObjectNode json) {
        spec = json.deepCopy();
        List<Item> items = new ArrayList<>();
        collect(spec, "", null, items);
        getItems().setAll(FXCollections.observableArrayList(items));
    }

    ObjectNode spec() {
        return spec.deepCopy();
    }

    void onEdit(Runnable r) {
        onEdit.add(r);
    }

    private void collect(JsonNode node, String path, String category, List<Item> out) {
        if (node instanceof ObjectNode obj) {
            obj.properties().forEach(e -> collect(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(),
                    category == null ? e.getKey() : category, out));
        } else if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                collect(arr.get(i), path + "[" + i + "]", category, out);
            }
        } else if (node.isValueNode() && !node.isNull()) {
            out.add(new LeafItem(path, category == null ? "spec" : category));
        }
    }

    /** One leaf of the JSON, read and written by its path. */
    private final class LeafItem implements Item {
        private final String path;
        private final String category;

        LeafItem(String path, String category) {
            this.path = path;
            this.category = category;
        }

        @Override
        public Class<?> getType() {
            JsonNode v = JsonPaths.get(spec, path);
            if (v.isBoolean()) {
                return Boolean.class;
            }
            if (v.isIntegralNumber()) {
                return Long.class;
            }
            if (v.isNumber()) {
                return Double.class;
            }
            return String.class;
        }

        @Override
        public String getCategory() {
            return category;
        }

        @Override
        public String getName() {
            return path;
        }

        @Override
        public String getDescription() {
            return path;
        }

        @Override
        public Object getValue() {
            JsonNode v = JsonPaths.get(spec, path);
            if (v.isBoolean()) {
                return v.booleanValue();
            }
            if (v.isIntegralNumber()) {
                return v.longValue();
            }
            if (v.isNumber()) {
                return v.doubleValue();
            }
            return v.asText();
        }

        @Override
        public void setValue(Object value) {
            JsonPaths.set(spec, path, value);
            onEdit.forEach(Runnable::run);
        }

        @Override
        public Optional<ObservableValue<?>> getObservableValue() {
            return Optional.empty();
        }
    }

    /** Leaves of a JSON tree addressed as {@code a.b[2].c}. */
    static final class JsonPaths {
        private JsonPaths() {}

        static JsonNode get(JsonNode root, String path) {
            JsonNode n = root;
            for (String part : parts(path)) {
                n = part.startsWith("[") ? n.path(Integer.parseInt(part.substring(1, part.length() - 1))) : n.path(part);
            }
            return n;
        }

        static void set(ObjectNode root, String path, Object value) {
            List<String> parts = parts(path);
            JsonNode parent = root;
            for (String part : parts.subList(0, parts.size() - 1)) {
                parent = part.startsWith("[") ? parent.get(Integer.parseInt(part.substring(1, part.length() - 1)))
                        : parent.get(part);
            }
            String last = parts.get(parts.size() - 1);
            JsonNode v = switch (value) {
                case Boolean b -> JsonNodeFactory.instance.booleanNode(b);
                case Long l -> JsonNodeFactory.instance.numberNode(l);
                case Integer i -> JsonNodeFactory.instance.numberNode(i);
                case Double d -> JsonNodeFactory.instance.numberNode(d);
                case null -> JsonNodeFactory.instance.nullNode();
                default -> JsonNodeFactory.instance.textNode(value.toString());
            };
            if (last.startsWith("[")) {
                ((ArrayNode) parent).set(Integer.parseInt(last.substring(1, last.length() - 1)), v);
            } else {
                ((ObjectNode) parent).set(last, v);
            }
        }

        private static List<String> parts(String path) {
            List<String> out = new ArrayList<>();
            for (String dotted : path.split("\\.")) {
                int b = dotted.indexOf('[');
                if (b < 0) {
                    out.add(dotted);
                    continue;
                }
                if (b > 0) {
                    out.add(dotted.substring(0, b));
                }
                String rest = dotted.substring(b);
                while (!rest.isEmpty()) {
                    int e = rest.indexOf(']');
                    out.add(rest.substring(0, e + 1));
                    rest = rest.substring(e + 1);
                }
            }
            return out;
        }
    }
}
