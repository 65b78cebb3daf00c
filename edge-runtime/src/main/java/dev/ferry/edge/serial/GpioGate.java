package dev.ferry.edge.serial;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import dev.ferry.bridge.line.DirectionPin;
import dev.ferry.bridge.line.TransmitGate;
import java.io.IOException;

/** GPIO on the host (RS-485 direction, MCU reset) through one shared Pi4J context. */
final class GpioGate {
    private static Context context;

    private GpioGate() { }

    /** The process's one Pi4J context, made on first use (for direction and reset pins). */
    static synchronized Context context() throws IOException {
        if (context == null) {
            try {
                context = Pi4J.newAutoContext();
            } catch (RuntimeException e) {
                throw new IOException("cannot reach GPIO through Pi4J: " + e.getMessage()
                        + " (is this a Raspberry Pi with GPIO access, user in group gpio?)", e);
            }
        }
        return context;
    }

    static synchronized TransmitGate create(int bcm) throws IOException {
        try {
            return DirectionPin.create(context(), bcm, 50);
        } catch (RuntimeException e) {
            throw new IOException("cannot drive RS-485 direction pin BCM " + bcm + " through Pi4J: "
                    + e.getMessage() + " (is this a Raspberry Pi with GPIO access, user in group gpio?)", e);
        }
    }
}
