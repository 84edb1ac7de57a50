package org.looplens.engine.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.looplens.engine.InvalidInputException;

/** The scratch file captures spill to: sized once, written region by region, read back exactly. */
class SpillFileTest {

    @Test
    void regionsRoundTripAndTheFileRefusesMoreThanItWasSizedFor(@TempDir Path dir) {
        SpillFile file = SpillFile.create(dir, 4L * (6 + 3), "test");
        assertEquals(36, file.size());
        SpillFile.Region a = file.allocate(2, 3);
        SpillFile.Region b = file.allocate(3);
        float[] rows = {1, 2, 3, Float.NaN, -0f, Float.MIN_VALUE, 9};
        a.write(0, rows, 0, 3);
        a.write(3, rows, 3, 3);
        b.write(0, rows, 4, 3);
        assertArrayEquals(new int[] {2, 3}, a.read().shape());
        assertArrayEquals(new float[] {1, 2, 3, Float.NaN, -0f, Float.MIN_VALUE}, a.read().data());
        assertArrayEquals(new float[] {-0f, Float.MIN_VALUE, 9}, b.read().data());
        assertEquals(24, b.offset());
        assertThrows(IndexOutOfBoundsException.class, () -> b.write(1, rows, 0, 3));
        IllegalStateException full = assertThrows(IllegalStateException.class, () -> file.allocate(1));
        assertEquals("spill file of 36 bytes is full: 36 used, 4 more asked; the capture estimate was short",
                full.getMessage());
    }

    @Test
    void aDiskWithoutRoomForTheCapturesIsRefusedNamingTheFolderAndTheSizes() {
        long captures = 2_434_797_568L; // every site of a 1.4B-layout model over 256 positions
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SpillFile.refuseBeyond(Path.of("scratch"), captures, 1L << 30, "captures too big"));
        assertEquals("scratch: captures too big, and spilling them here needs 2434797568 bytes of disk (with 64 MiB"
                + " to spare) but 1073741824 are free; capture fewer sites, steps or positions, or spill to another"
                + " folder", e.getMessage());
        SpillFile.refuseBeyond(Path.of("scratch"), captures, captures + SpillFile.HEADROOM, "fits exactly");
    }
}
