package dev.ferry.edge.serial;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.config.ConfigLoader;
import dev.ferry.edge.config.FerryConfig;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.route.RouteTable;
import dev.ferry.edge.route.Router;
import dev.ferry.edge.route.StreamTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("small")
class SerialLinesTest {
    @Test
    void aLineResetPinWithSeveralDevicesIsRefusedWithItsReason() throws Exception {
        FerryConfig cfg = ConfigLoader.parse(String.join("\n",
                "[[lines]]", "name = \"bus\"", "port = \"/dev/ttyFERRYTEST\"", "reset_pin = 27",
                "[[devices]]", "name = \"a\"", "line = \"bus\"", "address = 1", "mount = \"/a\"",
                "[[devices]]", "name = \"b\"", "line = \"bus\"", "address = 2", "mount = \"/b\"", ""), "t.toml");
        Router router = new Router(RouteTable.of(List.of()), new StreamTable(4), new Metrics(), 1, System::nanoTime);
        IOException e = assertThrows(IOException.class,
                () -> SerialLines.start(cfg, router, Path.of("boards"), List.of()));
        assertTrue(e.getMessage().contains("reset_pin") && e.getMessage().contains("2 devices"), e.getMessage());
    }
}
