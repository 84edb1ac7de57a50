package org.looplens.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CpuKernelsTest {

    @Test
    void sharedIsOneVectorBackend() {
        Kernels shared = CpuKernels.shared();
        assertSame(shared, CpuKernels.shared());
        // The vector kernels, with large products on OpenBLAS where one is installed (and not turned off).
        String expected = "off".equals(System.getProperty("looplens.blas")) || OpenBlas.find().isEmpty()
                ? "vector" : "vector+openblas";
        assertEquals(expected, shared.name());
    }

    @Test
    void createHonoursTheThreadCount() {
        try (VectorKernels kernels = CpuKernels.create(3)) {
            assertEquals(3, kernels.threads());
        }
    }

    /** A JVM without --add-modules jdk.incubator.vector gets a message that names the fix. */
    @Test
    void missingVectorModuleFailsWithAClearMessage() throws Exception {
        String classPath = location(CpuKernels.class) + File.pathSeparator + location(NoVectorApiProbe.class);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", classPath, NoVectorApiProbe.class.getName())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
        assertEquals(3, process.exitValue(), output);
        assertTrue(output.contains("--add-modules jdk.incubator.vector"), output);
    }

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
