package dev.ferry.edge.northbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ListResourceBundle;
import java.util.ResourceBundle;
import org.eclipse.paho.mqttv5.client.logging.Logger;
import org.eclipse.paho.mqttv5.client.logging.LoggerFactory;
import org.junit.jupiter.api.Test;

/** Paho's log lines: only SEVERE, WARNING and INFO, wire values excerpted, through Ferry's budget. */
class PahoLogTest {
    private static final ResourceBundle CATALOG = new ListResourceBundle() {
        @Override
        protected Object[][] getContents() {
            return new Object[][] {{"651", "failed: key={0} message={1}"}, {"bad", "broken {0"}};
        }
    };

    @Test
    void pahoMakesOurLoggerOnceInstalled() {
        MqttLinkInit.touch();
        Logger l = LoggerFactory.getLogger(LoggerFactory.MQTT_CLIENT_MSG_CAT, "x.Y");
        assertTrue(l instanceof PahoLog, l.getClass().getName());
        assertTrue(l.isLoggable(Logger.SEVERE) && l.isLoggable(Logger.WARNING) && l.isLoggable(Logger.INFO));
        assertFalse(l.isLoggable(Logger.FINE) || l.isLoggable(Logger.CONFIG) || l.isLoggable(Logger.FINEST));
    }

    @Test
    void insertsFromTheWireAreExcerpted() {
        String huge = "A".repeat(200_000) + "\n";
        String line = PahoLog.text(CATALOG, "651", new Object[] {7, huge});
        assertTrue(line.startsWith("failed: key=7 message=AAAA"), line);
        assertTrue(line.length() < 200, "a 200,000-character insert reached the log line: " + line.length());
        assertTrue(line.contains("(200001 chars)"), line);
    }

    @Test
    void unknownKeysAndBrokenPatternsStillGiveALine() {
        assertEquals("999 [x]", PahoLog.text(CATALOG, "999", new Object[] {"x"}));
        assertEquals("broken {0", PahoLog.text(CATALOG, "bad", new Object[] {"x"}));
        assertEquals("651", PahoLog.text(null, "651", null));
    }

    /** Loading MqttLink installs PahoLog (its static initialiser). */
    private static final class MqttLinkInit {
        static void touch() {
            try {
                Class.forName(MqttLink.class.getName(), true, MqttLink.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
        }
    }
}
