package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.looplens.app.cli.LoopLensCli;

/**
 * The JSON line of {@code looplens bench} is what bench/side-by-side.sh reads: its shape is a
 * contract. (Speed itself is measured by the benchmarks, never asserted by a test.)
 */
class BenchCommandTest {

    private static JsonNode lastJsonLine(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LoopLensCli.execute(args, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        String[] lines = out.toString().strip().split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }

    @Test
    void trainPrintsTheStatisticsAsTheLastLine() throws Exception {
        JsonNode r = lastJsonLine("bench", "train", "--preset", "S", "--seconds", "0.2", "--threads", "1", "--json");
        assertEquals("train", r.get("bench").asText());
        assertEquals("S", r.get("preset").asText());
        assertEquals(1, r.get("threads").asInt());
        JsonNode t = r.get("tokens_per_s");
        assertTrue(t.get("min").asDouble() > 0 && t.get("min").asDouble() <= t.get("median").asDouble()
                && t.get("median").asDouble() <= t.get("max").asDouble(), t.toString());
        assertTrue(t.get("samples").asInt() >= 3);
    }

    @Test
    void forwardNamesItsCapturePlan() throws Exception {
        JsonNode r = lastJsonLine("bench", "forward", "--preset", "S", "--capture", "steps", "--seconds", "0.2", "--json");
        assertEquals("forward", r.get("bench").asText());
        assertEquals("steps", r.get("capture").asText());
        assertTrue(r.get("tokens_per_s").get("median").asDouble() > 0);
    }

    @Test
    void gemmReportsGflops() throws Exception {
        JsonNode r = lastJsonLine("bench", "gemm", "--preset", "S", "--seconds", "0.2", "--json");
        assertEquals("gemm", r.get("bench").asText());
        assertTrue(r.get("gflops").get("median").asDouble() > 0);
    }

    @Test
    void badPresetOrCaptureIsBadInput() {
        StringWriter err = new StringWriter();
        assertEquals(2, LoopLensCli.execute(new String[] {"bench", "train", "--preset", "XL"},
                new PrintWriter(new StringWriter()), new PrintWriter(err)));
        assertTrue(err.toString().contains("--preset"), err.toString());
        assertEquals(2, LoopLensCli.execute(new String[] {"bench", "forward", "--preset", "S", "--capture", "some"},
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())));
    }
}
