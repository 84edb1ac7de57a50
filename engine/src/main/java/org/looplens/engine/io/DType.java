package org.looplens.engine.io;

import java.util.Optional;

/**
 * The element types a safetensors header may name, with their sizes.
 *
 * <p>All of them are recognised so any valid header parses; only {@link #F32}, {@link #F16} and
 * {@link #BF16} can be read as floats. Constant names equal the safetensors spelling.
 */
public enum DType {
    BOOL(8),
    U8(8),
    I8(8),
    F8_E5M2(8),
    F8_E4M3(8),
    F8_E8M0(8),
    F4(4),
    F6_E2M3(6),
    F6_E3M2(6),
    I16(16),
    U16(16),
    F16(16),
    BF16(16),
    I32(32),
    U32(32),
    F32(32),
    I64(64),
    U64(64),
    F64(64),
    C64(64);

    private final int bitSize;

    DType(int bitSize) {
        this.bitSize = bitSize;
    }

    /** Bits per element; below 8 for the packed sub-byte float formats. */
    public int bitSize() {
        return bitSize;
    }

    /** Bytes per element, or 0 for the sub-byte formats, whose elements are packed. */
    public int byteSize() {
        return bitSize / 8;
    }

    /** Whether LoopLens can convert this type to float. */
    public boolean readableAsFloat() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** The type a header spells {@code name}, if safetensors defines it. */
    public static Optional<DType> fromName(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
