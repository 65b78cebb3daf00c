package dev.ferry.edge.raet;

import dev.ferry.edge.config.SecurityConfig;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.util.List;

/** Keys and messages shared by the RAET tests. */
final class Fixtures {
    static final KeyPair KA = Crypto.newEd25519();
    static final KeyPair KB = Crypto.newEd25519();

    private Fixtures() { }

    static RaetKeys[] keys(SecurityConfig.Mode mode) {
        if (mode == SecurityConfig.Mode.OPEN) {
            return new RaetKeys[] {RaetKeys.open(), RaetKeys.open()};
        }
        return new RaetKeys[] {RaetKeys.of(mode, KA, List.of(KB.getPublic())), RaetKeys.of(mode, KB, List.of(KA.getPublic()))};
    }

    /** A message carrying its number, padded to {@code size} with a pattern derived from it. */
    static byte[] numbered(int i, int size) {
        byte[] b = new byte[Math.max(4, size)];
        ByteBuffer.wrap(b).putInt(i);
        for (int k = 4; k < b.length; k++) {
            b[k] = (byte) (i * 31 + k);
        }
        return b;
    }

    static int number(byte[] b) {
        return ByteBuffer.wrap(b).getInt();
    }
}
