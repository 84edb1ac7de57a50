package org.looplens.app.workbench;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** What the GUI tests share: a headless toolkit, work on the FX thread, and waiting for a condition. */
final class FxTest {
    private FxTest() {}

    static void startToolkit() {
        try {
            FxToolkit.registerPrimaryStage();
        } catch (TimeoutException e) {
            throw new IllegalStateException("the JavaFX toolkit did not start", e);
        }
    }

    static <T> T onFx(Supplier<T> body) {
        try {
            return WaitForAsyncUtils.asyncFx(body::get).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("FX call failed: " + e, e);
        }
    }

    static void runFx(Runnable body) {
        onFx(() -> {
            body.run();
            return null;
        });
    }

    /** Waits (off the FX thread) until the condition, checked on the FX thread, holds. */
    static void waitUntil(String what, int seconds, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> onFx(condition::getAsBoolean));
        } catch (TimeoutException e) {
            fail("timed out after " + seconds + " s waiting for " + what);
        }
    }
}
