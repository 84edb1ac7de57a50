package org.looplens.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The golden fixtures of the official Ouro computation, copied into the test resources. */
final class Fixtures {
    static final List<String> NAMES = List.of("ouro-tiny", "ouro-tiny-b");

    private Fixtures() {}

    static Path dir(String name) {
        URL url = Fixtures.class.getResource("/fixtures/" + name + "/config.json");
        if (url == null) {
            throw new IllegalStateException("fixture " + name + " is missing from the test resources");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token sequences of a fixture's input_ids.json. */
    static List<int[]> sequences(String name) throws IOException {
        JsonNode root = new ObjectMapper().readTree(dir(name).resolve("input_ids.json").toFile());
        List<int[]> out = new ArrayList<>();
        for (JsonNode seq : root.get("sequences")) {
            int[] ids = new int[seq.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = seq.get(i).intValue();
            }
            out.add(ids);
        }
        return out;
    }

    static String tokensArg(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? "" : ",").append(ids[i]);
        }
        return sb.toString();
    }
}
