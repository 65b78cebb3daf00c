package dev.ferry.northbound;

import static dev.ferry.northbound.FerryToml.q;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain MQTT (no Sparkplug) as a user with a dashboard and a script would use it, against a real
 * Mosquitto: {@code ferry/edge1/status} online (retained; the Will says offline when Ferry is
 * killed), each published resource's last value retained as {@code {"ts","value","historical"}}, a
 * command on {@code cmd/put/<path>} with an MQTT 5 Response Topic and Correlation Data answered on
 * both {@code result/<path>} and the response topic, a command outside {@code commands} refused
 * (403), a command topic that is no command counted.
 */
@Tag("system")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PlainMqttSystemTest {
    @TempDir
    Path dir;

    private static boolean on(HostApp.Received r, String topic) {
        return r.topic().equals("ferry/edge1/" + topic);
    }

    @Test
    void statusValuesCommandsAndTheWill() throws Exception {
        int http = Mosquitto.freePort();
        try (Mosquitto broker = Mosquitto.create(dir).start();
             HostApp host = new HostApp(broker.port(), "plain", "ferry/#", "reply/#");
             FerryProcess ferry = FerryProcess.start(dir, FerryToml.simulated("edge1", http, broker.port(),
                     dir.resolve("queue")).nb("mode", q("plain")).toString())) {
            host.await(r -> on(r, "status") && r.text().equals("online"), 60, "status online");
            HostApp.Received temp = host.await(r -> on(r, "dev0/sensors/temp"), 30, "a temperature");
            assertTrue(temp.text().matches("\\{\"ts\":[0-9]+,\"value\":\\{.*\"n\":[0-9]+.*},\"historical\":false}"),
                    temp.text());

            try (HostApp late = new HostApp(broker.port(), "late", "ferry/#")) {   // a dashboard starting later
                HostApp.Received status = late.await(r -> on(r, "status"), 30, "retained status");
                assertTrue(status.retained() && status.text().equals("online"), status.text());
                HostApp.Received device = late.await(r -> on(r, "device/dev0"), 30, "retained device state");
                assertTrue(device.retained() && device.text().startsWith("{\"online\":true"), device.text());
                HostApp.Received value = late.await(r -> on(r, "dev0/sensors/temp"), 30, "retained value");
                assertTrue(value.retained(), "the last value is retained");
            }

            MqttProperties props = new MqttProperties();
            props.setResponseTopic("reply/script1");
            props.setCorrelationData("req-42".getBytes(StandardCharsets.UTF_8));
            host.publish("ferry/edge1/cmd/put/dev0/leds/0", "true".getBytes(StandardCharsets.UTF_8), 1, false, props);
            HostApp.Received result = host.await(r -> on(r, "result/dev0/leds/0"), 30, "the command's result");
            assertTrue(result.text().contains("\"verb\":\"PUT\"") && result.text().contains("\"status\":200"),
                    result.text());
            HostApp.Received reply = host.await(r -> r.topic().equals("reply/script1"), 30, "the reply");
            assertArrayEquals("req-42".getBytes(StandardCharsets.UTF_8), reply.props().getCorrelationData());
            host.await(r -> on(r, "dev0/leds/0") && r.text().contains("\"value\":true"), 30, "the LED's new value");
            assertEquals("true", FerryProcess.get(http, "/dev0/leds/0").trim(), "the MCU's LED is on");

            host.publish("ferry/edge1/cmd/post/dev0/echo", "hi".getBytes(StandardCharsets.UTF_8), 1, false);
            HostApp.Received refused = host.await(r -> on(r, "result/dev0/echo"), 30, "the refusal");
            assertTrue(refused.text().contains("\"status\":403"), refused.text());

            host.publish("ferry/edge1/cmd/get/dev0/leds/0", new byte[0], 1, false);
            FerryProcess.await(() -> NorthboundStatus.metric(http,
                    "ferry_northbound_commands_total{result=\"bad_topic\"}") == 1, 30, "a bad command topic counted",
                    () -> FerryProcess.get(http, "/metrics"));

            ferry.kill9();
            host.await(r -> on(r, "status") && r.text().equals("offline"), 60, "status offline (the Will)");
        }
    }
}
