package dev.ferry.bridge.line;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.bridge.line.SerialLineException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("small")
class PortDiagnosisTest {

    @TempDir
    Path dir;

    @Test
    void openFailuresAreClassified() {
        assertEquals(Reason.MISSING, PortDiagnosis.classifyOpen(PortDiagnosis.ENOENT, false, true));
        assertEquals(Reason.PERMISSION, PortDiagnosis.classifyOpen(PortDiagnosis.EACCES, true, true));
        assertEquals(Reason.PERMISSION, PortDiagnosis.classifyOpen(0, true, false));
        assertEquals(Reason.BUSY, PortDiagnosis.classifyOpen(PortDiagnosis.EAGAIN, true, true));
        assertEquals(Reason.BUSY, PortDiagnosis.classifyOpen(PortDiagnosis.EBUSY, true, true));
        assertEquals(Reason.MISSING, PortDiagnosis.classifyOpen(PortDiagnosis.ENOTTY, true, true));
        assertEquals(Reason.IO, PortDiagnosis.classifyOpen(22, true, true));
    }

    @Test
    void transferFailuresAreClassified() {
        assertEquals(Reason.UNPLUGGED, PortDiagnosis.classifyTransfer(0, false, false));
        assertEquals(Reason.UNPLUGGED, PortDiagnosis.classifyTransfer(0, true, true));
        assertEquals(Reason.UNPLUGGED, PortDiagnosis.classifyTransfer(PortDiagnosis.EIO, true, false));
        assertEquals(Reason.IO, PortDiagnosis.classifyTransfer(22, true, false));
    }

    @Test
    void permissionMessageNamesUserGroupAndFix() throws Exception {
        Path node = Files.createFile(dir.resolve("ttyFAKE"));
        String msg = PortDiagnosis.permissionMessage(node);
        String user = System.getProperty("user.name");
        assertTrue(msg.contains("'" + user + "'"), msg);
        assertTrue(msg.contains("sudo usermod -aG "), msg);
        String dialout = PortDiagnosis.openMessage(Reason.PERMISSION, dir.resolve("gone"), PortDiagnosis.EACCES);
        assertTrue(dialout.contains("group 'dialout'"), dialout);
    }

    @Test
    void nativeLibraryDirectoryProblemsAreFound() throws Exception {
        assertNull(NativeLibraryCheck.problemWith(dir.resolve("jSerialComm"), List.of()));
        Path file = Files.createFile(dir.resolve("plain-file"));
        assertNotNull(NativeLibraryCheck.problemWith(file.resolve("jSerialComm"), List.of()));
        String noexec = NativeLibraryCheck.problemWith(dir.resolve("jSerialComm"),
                List.of("tmpfs / tmpfs rw 0 0", "tmpfs " + dir + " tmpfs rw,nosuid,noexec 0 0"));
        assertNotNull(noexec);
        assertTrue(noexec.contains("noexec"), noexec);
    }

    @Test
    void nativeLibraryLoadsHere() throws Exception {
        NativeLibraryCheck.verify();
        assertTrue(NativeLibraryCheck.libraryDirectory().toString().endsWith("jSerialComm"));
    }

    @Test
    void lineOptionsCountBitsAndRejectNonsense() {
        assertEquals(10, LineOptions.DEFAULT_8N1.bitsPerCharacter());
        assertEquals(12, new LineOptions(8, LineOptions.Parity.EVEN, 2, TransmitGate.NONE).bitsPerCharacter());
        assertThrows(IllegalArgumentException.class, () -> new LineOptions(9, LineOptions.Parity.NONE, 1, TransmitGate.NONE));
        assertThrows(IllegalArgumentException.class, () -> new LineOptions(8, LineOptions.Parity.NONE, 3, TransmitGate.NONE));
    }
}
