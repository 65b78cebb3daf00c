package dev.ferry.bridge.line;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SerialLine.write goes through its TransmitGate, over a real pty. */
@Tag("system")
class GatedWriteSystemTest {

    @TempDir
    Path dir;

    record Change(DigitalState state, long at) {
    }

    @Test
    void directionPinFramesTheWriteAndHoldsForTheComputedTime() throws Exception {
        Context pi4j = Pi4J.newContextBuilder().add(MockDigitalOutputProvider.newInstance()).build();
        try (SocatPair pair = new SocatPair(dir, "gate")) {
            DigitalOutput out = pi4j.create(DigitalOutput.newConfigBuilder(pi4j).id("de").address(18)
                    .initial(DigitalState.LOW).shutdown(DigitalState.LOW).provider(MockDigitalOutputProvider.ID));
            List<Change> changes = new CopyOnWriteArrayList<>();
            out.addListener(e -> changes.add(new Change(e.state(), System.nanoTime())));
            DirectionPin pin = new DirectionPin(out, 200, DirectionPin.NanoClock.SYSTEM);
            byte[] frame = new byte[48];
            for (int i = 0; i < frame.length; i++) {
                frame[i] = (byte) (i + 1);
            }
            try (SerialLine host = SerialLine.open(pair.a.toString(), 38400, LineOptions.of8N1(pin));
                 SerialLine device = SerialLine.open(pair.b.toString(), 38400)) {
                host.write(frame);
                assertEquals(List.of(DigitalState.HIGH, DigitalState.LOW),
                        changes.stream().map(Change::state).toList());
                long held = changes.get(1).at() - changes.get(0).at();
                assertTrue(held >= pin.holdNanos(frame.length), "released after " + held + " ns");
                assertEquals(DigitalState.LOW, out.state());
                assertArrayEquals(frame, SerialLineSystemTest.readExactly(device, frame.length));
            }
        } finally {
            pi4j.shutdown();
        }
    }

    @Test
    void kernelRs485GateOpensOnAPtyAndPassesData() throws Exception {
        try (SocatPair pair = new SocatPair(dir, "k485");
             SerialLine host = SerialLine.open(pair.a.toString(), 115200,
                     LineOptions.of8N1(new KernelRs485(true, 0, 0)));
             SerialLine device = SerialLine.open(pair.b.toString(), 115200)) {
            host.write(new byte[] {7, 8, 9});
            assertArrayEquals(new byte[] {7, 8, 9}, SerialLineSystemTest.readExactly(device, 3));
        }
    }
}
