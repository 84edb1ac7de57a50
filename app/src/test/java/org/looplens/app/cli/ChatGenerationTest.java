package org.looplens.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.app.bench.OuroShapedCheckpoint;
import org.looplens.app.inspect.OpenCheckpoint;
import org.looplens.engine.data.Tokenizer;
import org.looplens.engine.kernels.CpuKernels;
import org.looplens.engine.run.Generator;
import org.looplens.engine.run.LoopRunner;
import org.looplens.engine.run.RunOptions;
import org.looplens.engine.run.Sampling;

/** A chat through an Ouro-shaped checkpoint: its files are honoured, and generate/inspect see the ChatML ids. */
class ChatGenerationTest {
    private static final String SYSTEM_USER_PROMPT =
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n";

    @TempDir
    static Path dir;
    static Path ckpt;

    @BeforeAll
    static void write() {
        System.setProperty("ai.djl.offline", "true");
        ckpt = OuroShapedCheckpoint.write(dir.resolve("ouro-shaped"), 2, 64);
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LoopLensCli.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void theCheckpointsTokenizerFilesAreHonoured() {
        OpenCheckpoint open = OpenCheckpoint.open(ckpt);
        assertEquals(List.of(), open.warnings());
        assertEquals(Set.of(0, 2), open.stopTokens());
        Tokenizer tok = open.tokenizer().orElseThrow();
        assertEquals(1, open.tokenizerSettings().bosId(tok).orElseThrow());
        // <|im_start|> s y s t e m \n B e ... : specials are single ids, byte b is b + 3.
        assertArrayEquals(new int[] {1, 118, 124, 118, 119, 104, 112, 13, 69, 104},
                Arrays.copyOf(tok.encode(SYSTEM_USER_PROMPT), 10));
    }

    @Test
    void generateStreamsTheEnginesGreedyContinuationOfTheChat() {
        OpenCheckpoint open = OpenCheckpoint.open(ckpt);
        Tokenizer tok = open.tokenizer().orElseThrow();
        int[] prompt = tok.encode(SYSTEM_USER_PROMPT);
        int[] expected = new Generator(new LoopRunner(open.model(), CpuKernels.shared())).generate(prompt, 6,
                Sampling.greedy(), RunOptions.defaults(), Set.of(0, 2), null).generated();
        int[] all = Arrays.copyOf(prompt, prompt.length + expected.length);
        System.arraycopy(expected, 0, all, prompt.length, expected.length);
        String continuation = tok.decode(all).substring(SYSTEM_USER_PROMPT.length());

        String[] r = run("generate", "-c", ckpt.toString(), "--chat", "system: Be brief.", "--chat", "user: hi",
                "--max-tokens", "6");
        assertEquals("0", r[0], r[2]);
        assertEquals(continuation + System.lineSeparator(), r[1]);
        String stoppedBy = expected.length < 6 ? "EOS" : "the --max-tokens limit";
        assertTrue(r[2].contains("generated " + expected.length + " tokens") && r[2].contains(stoppedBy), r[2]);
    }

    @Test
    void inspectReadsAChatFileAsTheSameIds() throws Exception {
        Path chat = Files.writeString(dir.resolve("chat.json"),
                "[{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"hi\"}]");
        String[] r = run("inspect", "-c", ckpt.toString(), "--chat-file", chat.toString(), "--json");
        assertEquals("0", r[0], r[2]);
        JsonNode positions = new ObjectMapper().readTree(r[1]).get("positions");
        int[] shown = new int[positions.size()];
        for (int i = 0; i < shown.length; i++) {
            shown[i] = positions.get(i).get("token").intValue();
        }
        int[] expected = OpenCheckpoint.open(ckpt).tokenizer().orElseThrow().encode(SYSTEM_USER_PROMPT);
        assertArrayEquals(expected, shown);
        assertEquals(40, shown.length);
    }

    @Test
    void aNonChatMlTemplateIsRefusedNamingTheFile() throws Exception {
        Path other = OuroShapedCheckpoint.write(dir.resolve("llama-template"), 1, 32);
        Files.writeString(other.resolve("tokenizer_config.json"),
                "{\"chat_template\": \"{% for m in messages %}[INST] {{ m.content }} [/INST]{% endfor %}\"}");
        String[] r = run("generate", "-c", other.toString(), "--chat", "user: hi");
        assertEquals("2", r[0]);
        assertEquals("error: " + other.resolve("tokenizer_config.json") + ": field 'chat_template' is not ChatML "
                + "(no <|im_start|>); LoopLens formats only ChatML chats, so give the formatted prompt as --text",
                r[2].strip());
    }
}
