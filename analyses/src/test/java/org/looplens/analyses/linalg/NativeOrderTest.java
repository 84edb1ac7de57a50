package org.looplens.analyses.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The engine's OpenBLAS and ND4J's share one process. In a fresh JVM, a large engine product
 * followed by an ND4J decomposition used to kill the JVM on an undefined LAPACKE symbol (ND4J
 * bound to the system OpenBLAS the engine had loaded). Run in a child JVM, because within this
 * test JVM another test may already have loaded ND4J first.
 */
class NativeOrderTest {

    @Test
    void aLargeEngineProductThenAnNd4jDecompositionInAFreshJvm() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), NativeOrderProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe JVM did not finish");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        String[] last = output.strip().lines().reduce((a, b) -> b).orElse("").split(" ");
        assertTrue(Double.parseDouble(last[1]) < 1e-2, "product error " + last[1] + " (" + last[0] + ")");
        assertEquals(10.30097393, Double.parseDouble(last[2]), 1e-7);
    }
}
