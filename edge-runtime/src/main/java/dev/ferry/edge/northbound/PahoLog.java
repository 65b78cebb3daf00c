package dev.ferry.edge.northbound;

import dev.ferry.edge.metrics.RemoteLog;
import java.text.MessageFormat;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import org.eclipse.paho.mqttv5.client.logging.Logger;

/**
 * Where the MQTT client library's own log lines go ({@link MqttLink} installs it before the first
 * client is made). Paho's default sends them to java.util.logging and so to stderr, outside
 * Ferry's log format and level, unbounded: a broker that keeps sending something Paho objects to
 * gets one SEVERE line per packet. Here its SEVERE and WARNING lines are Ferry WARN lines and its
 * INFO lines INFO lines, all through {@link RemoteLog} (one budget per message key, wire values
 * excerpted); its FINE and trace output is dropped. It also keeps java.util.logging, about 25
 * classes and a log manager, out of the process.
 *
 * <p>Paho makes one instance per class that logs, by reflection: the public no-argument
 * constructor is for it.
 */
public final class PahoLog implements Logger {
    private volatile ResourceBundle catalog;

    public PahoLog() { }

    /** Makes Paho log through this class; call before the first Paho class is loaded. */
    static void install() {
        org.eclipse.paho.mqttv5.client.logging.LoggerFactory.setLogger(PahoLog.class.getName());
    }

    @Override
    public void initialise(ResourceBundle messageCatalog, String loggerId, String resourceName) {
        this.catalog = messageCatalog;
    }

    @Override
    public void setResourceName(String logContext) { }

    @Override
    public boolean isLoggable(int level) {
        return level <= INFO;              // SEVERE = 1, WARNING = 2, INFO = 3, then CONFIG, FINE...
    }

    /** Paho's message {@code key} with its inserts (each excerpted), or the key alone if the catalog lacks it. */
    static String text(ResourceBundle catalog, String key, Object[] inserts) {
        String pattern;
        try {
            pattern = catalog == null || key == null ? null : catalog.getString(key);
        } catch (MissingResourceException e) {
            pattern = null;
        }
        Object[] safe = inserts == null ? new Object[0] : new Object[inserts.length];
        for (int i = 0; i < safe.length; i++) {
            safe[i] = RemoteLog.excerpt(inserts[i]);
        }
        if (pattern == null) {
            return RemoteLog.excerpt(key) + (safe.length == 0 ? "" : " " + java.util.Arrays.toString(safe));
        }
        try {
            return MessageFormat.format(pattern, safe);
        } catch (IllegalArgumentException e) {
            return pattern;
        }
    }

    @Override
    public void log(int level, String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        if (!isLoggable(level)) {
            return;
        }
        String reason = "northbound:mqtt-client:" + RemoteLog.excerpt(msg, 16);
        String line = text(catalog, msg, inserts);
        String cause = thrown == null ? "" : ": " + RemoteLog.excerpt(thrown);
        if (level <= WARNING) {
            RemoteLog.warn(reason, "northbound: MQTT client ({}): {}{}", RemoteLog.excerpt(msg, 16), line, cause);
        } else {
            RemoteLog.info(reason, "northbound: MQTT client ({}): {}{}", RemoteLog.excerpt(msg, 16), line, cause);
        }
    }

    @Override
    public void trace(int level, String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable ex) { }

    @Override
    public String formatMessage(String msg, Object[] inserts) {
        return text(catalog, msg, inserts);
    }

    @Override
    public void dumpTrace() { }

    @Override
    public void severe(String sourceClass, String sourceMethod, String msg) {
        log(SEVERE, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void severe(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(SEVERE, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void severe(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(SEVERE, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void warning(String sourceClass, String sourceMethod, String msg) {
        log(WARNING, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void warning(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(WARNING, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void warning(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(WARNING, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void info(String sourceClass, String sourceMethod, String msg) {
        log(INFO, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void info(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(INFO, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void info(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(INFO, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void config(String sourceClass, String sourceMethod, String msg) { }

    @Override
    public void config(String sourceClass, String sourceMethod, String msg, Object[] inserts) { }

    @Override
    public void config(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) { }

    @Override
    public void fine(String sourceClass, String sourceMethod, String msg) { }

    @Override
    public void fine(String sourceClass, String sourceMethod, String msg, Object[] inserts) { }

    @Override
    public void fine(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) { }

    @Override
    public void finer(String sourceClass, String sourceMethod, String msg) { }

    @Override
    public void finer(String sourceClass, String sourceMethod, String msg, Object[] inserts) { }

    @Override
    public void finer(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) { }

    @Override
    public void finest(String sourceClass, String sourceMethod, String msg) { }

    @Override
    public void finest(String sourceClass, String sourceMethod, String msg, Object[] inserts) { }

    @Override
    public void finest(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) { }
}
