package org.looplens.acceptance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.app.cli.LoopLensCli;
import org.looplens.engine.io.DType;
import org.looplens.engine.io.SafetensorsFile;
import org.looplens.engine.io.SafetensorsWriter;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.model.Checkpoint;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.MemoryPlan;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.tensor.FloatTensor;
import org.looplens.engine.trace.CapturePlan;

/**
 * The CLI contract for bad input: exit code 2 and exactly one line {@code error: <message>} on
 * stderr that names the file or option and the problem, never a stack trace. Each test damages a
 * copy of the {@code ouro-tiny} fixture in one way.
 */
class CliBadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NORM = "model.norm.weight";
    private static final String HEAD = "lm_head.weight";
    private static final String GOOD_TOKENS = "32,49,39,41,15";

    @TempDir
    Path tmp;

    /** A writable copy of the fixture checkpoint. */
    Path ckpt;

    /** Its weights file. */
    Path weights;

    /** What one CLI run printed and returned. */
    record Run(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    @BeforeEach
    void copyFixture() throws IOException, URISyntaxException {
        URL config = getClass().getClassLoader().getResource("fixtures/ouro-tiny/config.json");
        Path fixture = Path.of(config.toURI()).getParent();
        ckpt = Files.createDirectory(tmp.resolve("ouro-tiny"));
        Files.copy(fixture.resolve("config.json"), ckpt.resolve("config.json"));
        Files.copy(fixture.resolve("model.safetensors"), ckpt.resolve("model.safetensors"));
        weights = ckpt.resolve("model.safetensors");
    }

    // ---- running the CLI ----

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LoopLensCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private Run inspect(String tokens, String... more) {
        String[] base = {"inspect", "--checkpoint", ckpt.toString(), "--tokens", tokens};
        String[] args = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return cli(args);
    }

    private Run inspectGood() {
        return inspect(GOOD_TOKENS);
    }

    /** Exit 2, one "error: " line on stderr holding every fragment, no stack trace, nothing on stdout. */
    private static void assertBadInput(Run r, String... fragments) {
        assertEquals(2, r.code(), () -> "exit code; stderr was: " + r.err());
        assertEquals(1, r.errLines().size(), () -> "not one line on stderr: " + r.err());
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("error: "), line);
        for (String f : fragments) {
            assertTrue(line.contains(f), () -> "no '" + f + "' in: " + line);
        }
        assertNoStackTrace(r);
        assertEquals("", r.out(), "stdout");
    }

    private static void assertNoStackTrace(Run r) {
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    // ---- generation and chats ----

    @Test
    void generateNeedsAPositiveLimitAndOneInput() {
        assertBadInput(cli("generate", "--checkpoint", ckpt.toString(), "--tokens", GOOD_TOKENS, "--max-tokens", "0"),
                "--max-tokens", "at least 1");
        assertBadInput(cli("generate", "--checkpoint", ckpt.toString(), "--tokens", GOOD_TOKENS, "--chat", "user: hi"),
                "exactly one of --tokens, --text or --chat");
        assertBadInput(cli("generate", "--checkpoint", ckpt.toString(), "--tokens", GOOD_TOKENS, "--temperature", "-1"),
                "temperature must be ≥ 0");
    }

    @Test
    void aChatNeedsAChatTemplateAndWellFormedMessages() throws IOException {
        Path tokenizer = ckpt.resolve("tokenizer.json");
        new org.looplens.engine.data.ModArithTask(7, 2, 3, 0.2, 0).vocabulary().writeTokenizerJson(tokenizer);
        assertBadInput(cli("inspect", "--checkpoint", ckpt.toString(), "--chat", "user: hi"),
                ckpt.resolve("tokenizer_config.json").toString(), "no 'chat_template'");
        Files.writeString(ckpt.resolve("tokenizer_config.json"), "{\"chat_template\": \"<|im_start|>{{ x }}\"}");
        assertBadInput(cli("inspect", "--checkpoint", ckpt.toString(), "--chat", "robot: hi"),
                "--chat", "'robot: hi' is not 'system: ...'");
        Path chat = Files.writeString(tmp.resolve("chat.json"), "[{\"role\": \"user\"}]");
        assertBadInput(cli("inspect", "--checkpoint", ckpt.toString(), "--chat-file", chat.toString()),
                chat.toString(), "message 0: field 'content' must be a string");
        Files.writeString(ckpt.resolve("generation_config.json"), "{\"eos_token_id\": [\"</s>\"]}");
        assertBadInput(cli("generate", "--checkpoint", ckpt.toString(), "--tokens", GOOD_TOKENS),
                ckpt.resolve("generation_config.json").toString(), "field 'eos_token_id'");
    }

    // ---- damaging the weights file ----

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeBytes(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long headerLength(byte[] file) {
        return ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static byte[] lengthPrefix(long length) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(length).array();
    }

    /** Replaces the header JSON of a safetensors file with {@code header}, keeping the data section. */
    private static void replaceHeader(Path file, String header) {
        byte[] old = bytes(file);
        byte[] data = Arrays.copyOfRange(old, 8 + (int) headerLength(old), old.length);
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length);
        b.put(lengthPrefix(h.length)).put(h).put(data);
        writeBytes(file, b.array());
    }

    /** Parses the header, lets {@code edit} change it, and writes it back over the same data. */
    private static void editHeader(Path file, Consumer<ObjectNode> edit) {
        byte[] old = bytes(file);
        String text = new String(old, 8, (int) headerLength(old), StandardCharsets.UTF_8);
        try {
            ObjectNode header = (ObjectNode) JSON.readTree(text);
            edit.accept(header);
            replaceHeader(file, header.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The header entry of one tensor, for editing. */
    private static ObjectNode entry(ObjectNode header, String tensor) {
        return (ObjectNode) header.get(tensor);
    }

    private static void truncate(Path file, int length) {
        writeBytes(file, Arrays.copyOf(bytes(file), length));
    }

    /** Reads every tensor, lets {@code edit} change the map, and writes a valid F32 file again. */
    private static void rewriteTensors(Path file, Consumer<Map<String, FloatTensor>> edit) {
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                tensors.put(name, f.read(name));
            }
        }
        edit.accept(tensors);
        SafetensorsWriter.write(file, tensors, DType.F32, Map.of("format", "pt"));
    }

    /** Parses config.json, lets {@code edit} change it, and writes it back. */
    private void editConfig(Consumer<ObjectNode> edit) throws IOException {
        Path config = ckpt.resolve("config.json");
        ObjectNode node = (ObjectNode) JSON.readTree(config.toFile());
        edit.accept(node);
        Files.writeString(config, node.toString());
    }

    // ---- the bad inputs ----

    @Test
    void truncatedWeightsFile() {
        truncate(weights, bytes(weights).length / 2);
        assertBadInput(inspectGood(), weights.toString(), "truncated");
    }

    @Test
    void weightsFileShorterThanTheLengthPrefix() {
        truncate(weights, 5);
        assertBadInput(inspectGood(), weights.toString(), "truncated", "5 bytes");
    }

    @Test
    void headerLengthBeyondTheFile() {
        byte[] b = bytes(weights);
        System.arraycopy(lengthPrefix(b.length), 0, b, 0, 8);
        writeBytes(weights, b);
        assertBadInput(inspectGood(), weights.toString(), "header length " + b.length, "past the end");
    }

    @Test
    void headerThatIsNotJson() {
        replaceHeader(weights, "{\"lm_head.weight\": {\"dtype\": \"F32\",");
        assertBadInput(inspectGood(), weights.toString(), "header is not valid JSON");
    }

    @Test
    void offsetsOutOfRange() {
        editHeader(weights, h -> entry(h, NORM).putArray("data_offsets").add(91396).add(91524));
        assertBadInput(inspectGood(), weights.toString(), "'" + NORM + "'", "ends at data byte 91524",
                "only 91396 bytes");
    }

    @Test
    void overlappingOffsets() {
        editHeader(weights, h -> entry(h, NORM).putArray("data_offsets").add(0).add(128));
        assertBadInput(inspectGood(), weights.toString(), "'" + NORM + "'", "'" + HEAD + "'", "overlap");
    }

    @Test
    void unknownDtype() {
        editHeader(weights, h -> entry(h, NORM).put("dtype", "F33"));
        assertBadInput(inspectGood(), weights.toString(), "'" + NORM + "'", "unknown dtype 'F33'");
    }

    @Test
    void shapeTimesDtypeDisagreesWithTheByteLength() {
        editHeader(weights, h -> entry(h, NORM).putArray("shape").add(33));
        assertBadInput(inspectGood(), weights.toString(), "'" + NORM + "'", "needs 132 bytes",
                "data_offsets span 128");
    }

    @Test
    void halfTheBytesForTheDtype() {
        editHeader(weights, h -> entry(h, NORM).put("dtype", "BF16"));
        assertBadInput(inspectGood(), weights.toString(), "'" + NORM + "'", "needs 64 bytes");
    }

    @Test
    void missingTensor() {
        rewriteTensors(weights, t -> t.remove(NORM));
        assertBadInput(inspectGood(), weights.toString(), "missing tensor '" + NORM + "'");
    }

    @Test
    void tensorWithTheWrongShapeForTheConfig() {
        editHeader(weights, h -> entry(h, HEAD).putArray("shape").add(32).add(64));
        assertBadInput(inspectGood(), weights.toString(), "'" + HEAD + "'", "has shape [32, 64]",
                "expected [64, 32]");
    }

    @Test
    void weightsFileMissing() throws IOException {
        Files.delete(weights);
        assertBadInput(inspectGood(), weights.toString(), "not found");
    }

    @Test
    void configMissingAField() throws IOException {
        editConfig(c -> c.remove("vocab_size"));
        assertBadInput(inspectGood(), ckpt.resolve("config.json").toString(), "missing required field 'vocab_size'");
    }

    @Test
    void inconsistentConfig() throws IOException {
        editConfig(c -> c.put("num_key_value_heads", 3));
        assertBadInput(inspectGood(), ckpt.resolve("config.json").toString(),
                "num_attention_heads 4", "num_key_value_heads 3");
    }

    @Test
    void configThatIsNotJson() throws IOException {
        Files.writeString(ckpt.resolve("config.json"), "{\"vocab_size\": 64");
        assertBadInput(inspectGood(), ckpt.resolve("config.json").toString(), "not valid JSON");
    }

    @Test
    void tokenIdNotBelowTheVocabulary() {
        assertBadInput(inspect("1,64"), "--tokens", "token id 64", "vocab_size 64");
    }

    @Test
    void negativeTokenId() {
        assertBadInput(inspect("-1,2"), "--tokens", "token id -1");
    }

    @Test
    void emptyTokens() {
        assertBadInput(inspect(""), "--tokens", "empty input");
    }

    @Test
    void zeroSteps() {
        assertBadInput(inspect(GOOD_TOKENS, "--steps", "0"), "--steps", "at least 1, got 0");
    }

    @Test
    void stepsTooManyForMemory() {
        assertBadInput(inspect(GOOD_TOKENS, "--steps", "2000000000"), "2000000000 loop steps", "GiB", "-Xmx");
    }

    /**
     * A trace of 20000 steps in a JVM with a 64 MiB heap: its activations could spill to disk, but
     * the trace's index of its 480001 tensors cannot, so it must end with the one-line error, not
     * an OutOfMemoryError, and since the plan is counted before the run, the line names the count,
     * the estimate and the heap.
     */
    @Test
    void traceTooLargeForTheHeapIsReportedNotThrown() throws Exception {
        Path out = tmp.resolve("huge.safetensors");
        Path log = tmp.resolve("stderr.txt");
        Process p = CliProcess.start(List.of("-Xmx64m"), List.of("trace", "--checkpoint", ckpt.toString(),
                "--tokens", GOOD_TOKENS, "--steps", "20000", "--out", out.toString()), tmp.resolve("stdout.txt"), log);
        assertTrue(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "the CLI did not finish");
        List<String> errLines = CliProcess.errorLines(log);
        assertEquals(2, p.exitValue(), String.join("\n", errLines));
        assertEquals(1, errLines.size(), errLines.toString());
        String line = errLines.get(0);
        for (String f : List.of("error: options: 20000 loop steps over 5 positions need at least",
                "of it to index the 480001 tensors the CapturePlan(all) records, more than the ", "MiB this JVM may use",
                "raise -Xmx")) {
            assertTrue(line.contains(f), () -> "no '" + f + "' in: " + line);
        }
        assertFalse(Files.exists(out));
    }

    /**
     * Against --memory-budget, a trace whose captures do not fit spills them and writes the same
     * file as one without a budget; one whose own buffers do not fit is refused before running.
     */
    @Test
    void traceOverItsMemoryBudgetSpillsAndOneWhoseBuffersExceedItIsRefused() throws IOException {
        Path free = tmp.resolve("free.safetensors");
        Run inHeap = cli("trace", "--checkpoint", ckpt.toString(), "--tokens", GOOD_TOKENS, "--out", free.toString());
        assertEquals(0, inHeap.code(), inHeap.err());
        assertEquals("", inHeap.err(), "without a budget this small trace stays in the heap");
        int[] tokens = Arrays.stream(GOOD_TOKENS.split(",")).mapToInt(Integer::parseInt).toArray();
        MemoryPlan plan = new LoopRunner(Checkpoint.load(ckpt), CpuKernels.shared()).memoryPlan(List.of(tokens),
                RunOptions.defaults().withCapture(CapturePlan.all()));
        long budget = plan.runBytes() + plan.captureBytes() / 2;
        Path spilled = tmp.resolve("spilled.safetensors");
        Run r = cli("trace", "--checkpoint", ckpt.toString(), "--tokens", GOOD_TOKENS, "--memory-budget",
                Long.toString(budget), "--out", spilled.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().startsWith("note: captures " + plan.captureBytes() + " bytes spill to disk"), r.err());
        try (SafetensorsFile a = SafetensorsFile.open(free); SafetensorsFile b = SafetensorsFile.open(spilled)) {
            assertEquals(a.names(), b.names());
            for (String name : a.names()) {
                assertArrayEquals(a.readFloats(name), b.readFloats(name), name);
            }
        }

        Path out = tmp.resolve("trace.safetensors");
        assertBadInput(cli("trace", "--checkpoint", ckpt.toString(), "--tokens", GOOD_TOKENS, "--memory-budget", "1k",
                        "--out", out.toString()),
                "5 positions need at least", "more than the memory budget of 1024 bytes", "or raise the budget");
        assertFalse(Files.exists(out));
        assertBadInput(cli("trace", "--checkpoint", ckpt.toString(), "--tokens", GOOD_TOKENS, "--memory-budget", "lots",
                "--out", out.toString()), "--memory-budget", "'lots' is not a size");
    }

    @Test
    void moreTokensThanTheContext() throws IOException {
        editConfig(c -> c.put("max_position_embeddings", 4));
        assertBadInput(inspect(GOOD_TOKENS), "--tokens", "5 positions", "max_position_embeddings 4");
    }

    @Test
    void exitStepBeyondTheSteps() {
        assertBadInput(inspect(GOOD_TOKENS, "--steps", "2", "--exit", "step=2"), "exit step 2", "2 steps");
    }

    @Test
    void unknownExitPolicy() {
        assertBadInput(inspect(GOOD_TOKENS, "--exit", "sometimes"), "--exit", "'sometimes'");
    }

    @Test
    void checkpointFolderMissing() {
        Path nowhere = tmp.resolve("no-such-checkpoint");
        assertBadInput(cli("inspect", "--checkpoint", nowhere.toString(), "--tokens", "1"),
                nowhere.toString(), "checkpoint folder not found");
    }

    @Test
    void tokenThatIsNotANumber() {
        assertBadInput(inspect("1,x"), "--tokens", "'x' is not a token id");
    }

    @Test
    void traceRefusesBadInputTheSameWay() {
        Path out = tmp.resolve("trace.safetensors");
        Run r = cli("trace", "--checkpoint", ckpt.toString(), "--tokens", "1,99", "--out", out.toString());
        assertBadInput(r, "--tokens", "token id 99");
        assertFalse(Files.exists(out));
    }

    @Test
    void initRefusesABadConfig() throws IOException {
        editConfig(c -> c.put("head_dim", 7));
        Run r = cli("init", "--config", ckpt.resolve("config.json").toString(), "--out", tmp.resolve("new").toString());
        assertBadInput(r, ckpt.resolve("config.json").toString(), "head_dim 7");
    }

    // ---- warnings ----

    @Test
    void nanWeightsRunWithAWarningNamingTheTensor() {
        rewriteTensors(weights, t -> {
            t.get(HEAD).data()[5] = Float.NaN;
            t.get(HEAD).data()[6] = Float.POSITIVE_INFINITY;
        });
        Run r = inspectGood();
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        String warning = r.errLines().get(0);
        assertTrue(warning.startsWith("warning: "), warning);
        assertTrue(warning.contains(weights.toString()), warning);
        assertTrue(warning.contains("'" + HEAD + "'"), warning);
        assertTrue(warning.contains("2 NaN/Inf"), warning);
        assertNoStackTrace(r);
        assertEquals(5, tableRows(r.out()).size(), r.out());
    }

    // ---- success ----

    /** The table rows of {@code inspect}: the lines after the title and the column header. */
    private static List<String> tableRows(String out) {
        List<String> lines = out.lines().toList();
        assertTrue(lines.get(0).startsWith("checkpoint "), lines.get(0));
        assertTrue(lines.get(1).strip().startsWith("pos"), lines.get(1));
        return lines.subList(2, lines.size());
    }

    @Test
    void inspectPrintsOneRowPerToken() {
        Run r = inspectGood();
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().lines().findFirst().orElseThrow().contains("2 layers × 4 steps"), r.out());
        List<String> rows = tableRows(r.out());
        String[] tokens = GOOD_TOKENS.split(",");
        assertEquals(tokens.length, rows.size(), r.out());
        for (int i = 0; i < tokens.length; i++) {
            String[] cells = rows.get(i).split("\\|");
            assertEquals(i + " #" + tokens[i], cells[0].strip().replaceAll("\\s+", " "), rows.get(i));
            assertEquals(4 + 2, cells.length, rows.get(i)); // position, 4 steps, exit summary
        }
    }

    @Test
    void inspectJsonHoldsEveryPositionAndStep() throws IOException {
        Run r = inspect(GOOD_TOKENS, "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode root = JSON.readTree(r.out());
        assertEquals(4, root.get("steps").intValue());
        assertEquals(4, root.get("trainedSteps").intValue());
        JsonNode positions = root.get("positions");
        String[] tokens = GOOD_TOKENS.split(",");
        assertEquals(tokens.length, positions.size());
        for (int i = 0; i < tokens.length; i++) {
            JsonNode p = positions.get(i);
            assertEquals(i, p.get("position").intValue());
            assertEquals(Integer.parseInt(tokens[i]), p.get("token").intValue());
            JsonNode steps = p.get("steps");
            assertEquals(4, steps.size());
            double pdfSum = 0;
            for (int t = 0; t < 4; t++) {
                JsonNode s = steps.get(t);
                assertEquals(t, s.get("step").intValue());
                assertEquals(3, s.get("topTokens").size());
                double lambda = s.get("lambda").doubleValue();
                assertTrue(lambda > 0 && lambda < 1, "lambda " + lambda);
                double top1 = s.get("top1Prob").doubleValue();
                assertTrue(top1 > 0 && top1 <= 1, "top1Prob " + top1);
                assertEquals(s.get("top1").intValue(), s.get("topTokens").get(0).intValue());
                pdfSum += s.get("exitPdf").doubleValue();
            }
            assertEquals(1.0, pdfSum, 1e-9);
            double depth = p.get("expectedDepth").doubleValue();
            assertTrue(depth >= 1 && depth <= 4, "expectedDepth " + depth);
        }
    }

    @Test
    void traceWritesEveryStepAsSafetensors() {
        Path out = tmp.resolve("trace.safetensors");
        Run r = cli("trace", "--checkpoint", ckpt.toString(), "--tokens", GOOD_TOKENS, "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            for (int t = 0; t < 4; t++) {
                assertArrayEquals(new long[] {5, 32}, f.info("t" + t + ".hidden").shape(), "t" + t + ".hidden");
                assertArrayEquals(new long[] {5, 64}, f.info("t" + t + ".logits").shape());
                assertArrayEquals(new long[] {5}, f.info("t" + t + ".lambda").shape());
                for (int l = 0; l < 2; l++) {
                    assertArrayEquals(new long[] {5, 32}, f.info("t" + t + ".l" + l + ".mid").shape());
                }
            }
            assertFalse(f.contains("t4.hidden"));
            assertArrayEquals(new long[] {5, 4}, f.info("exit_pdf").shape());
            assertArrayEquals(new long[] {5, 64}, f.info("expected_logits").shape());
            assertEquals("looplens trace", f.metadata().get("producer"));
            float[] pdf = f.readFloats("exit_pdf");
            for (int i = 0; i < 5; i++) {
                float sum = 0;
                for (int t = 0; t < 4; t++) {
                    sum += pdf[i * 4 + t];
                }
                assertEquals(1f, sum, 1e-5f);
            }
        }
    }
}
