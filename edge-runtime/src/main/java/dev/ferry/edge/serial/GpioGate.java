package dev.ferry.edge.serial;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import dev.ferry.bridge.line.DirectionPin;
import dev.ferry.bridge.line.TransmitGate;
import java.io.IOException;

/** The RS-485 direction pin on the host's GPIO, through one shared Pi4J context. */
final class GpioGate {
    private static Context context;

    private GpioGate() { }

    static synchronized TransmitGate create(int bcm) throws IOException {
        try {
            if (context == null) {
                context = Pi4J.newAutoContext();
            }
            return DirectionPin.create(context, bcm, 50);
        } catch (RuntimeException e) {
            throw new IOException("cannot drive RS-485 direction pin BCM " + bcm + " through Pi4J: "
                    + e.getMessage() + " (is this a Raspberry Pi with GPIO access, user in group gpio?)", e);
        }
    }
}
