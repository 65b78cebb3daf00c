package dev.ferry.edge.raet;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** AES hardware detection from /proc/cpuinfo texts of x86 machines and Raspberry Pis. */
@Tag("small")
class AesHardwareTest {
    private static final String X86_AES = "processor\t: 0\nvendor_id\t: GenuineIntel\n"
            + "flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge sse sse2 ssse3 pclmulqdq sse4_1 sse4_2"
            + " aes xsave avx\nbogomips\t: 4400.00\n\nprocessor\t: 1\n"
            + "flags\t\t: fpu vme de pse tsc msr pae sse sse2 pclmulqdq aes avx\n";
    private static final String X86_NO_AES = "processor\t: 0\nflags\t\t: fpu vme de pse tsc msr sse sse2 pclmulqdq sse4_1\n";
    private static final String X86_NO_PCLMUL = "processor\t: 0\nflags\t\t: fpu sse sse2 aes\n";
    /** Raspberry Pi 4 (Cortex-A72, no crypto extensions), 64-bit kernel. */
    private static final String PI4 = "processor\t: 0\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm crc32 cpuid\n"
            + "CPU implementer\t: 0x41\nCPU part\t: 0xd08\n\nprocessor\t: 1\nFeatures\t: fp asimd evtstrm crc32 cpuid\n"
            + "\nHardware\t: BCM2835\nModel\t\t: Raspberry Pi 4 Model B Rev 1.4\n";
    /** Raspberry Pi 5 (Cortex-A76, ARMv8.2 with crypto extensions). */
    private static final String PI5 = "processor\t: 0\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2"
            + " crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp\nCPU part\t: 0xd0b\n\n"
            + "Model\t\t: Raspberry Pi 5 Model B Rev 1.0\n";

    @Test
    void x86WithAesAndPclmulqdqHasIt() {
        assertTrue(AesHardware.in(X86_AES));
    }

    @Test
    void x86WithoutEitherInstructionHasNot() {
        assertFalse(AesHardware.in(X86_NO_AES));
        assertFalse(AesHardware.in(X86_NO_PCLMUL));
    }

    @Test
    void raspberryPi4HasNotAndPi5Has() {
        assertFalse(AesHardware.in(PI4));
        assertTrue(AesHardware.in(PI5));
    }

    @Test
    void emptyOrUnknownTextMeansNo() {
        assertFalse(AesHardware.in(""));
        assertFalse(AesHardware.in("model name\t: something aes pclmulqdq\n"));
    }
}
