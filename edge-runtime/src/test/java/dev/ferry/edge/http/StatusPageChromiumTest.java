package dev.ferry.edge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Loads the status page in headless Chromium against a facade with the fake runtime: the page's
 * fetches and its metrics EventSource go through the real router. Skipped when chromium is not
 * installed. The screenshot is kept at {@code target/status-page.png}. The URL carries
 * {@code ?once} so the page's metrics stream closes after one sample (see app.js).
 */
@Tag("system")
class StatusPageChromiumTest {
    private FacadeFixture fx;
    private Path profile;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(chromium() != null, "chromium is not installed");
        fx = new FacadeFixture();
        profile = Files.createTempDirectory("ferry-chromium");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.close();
        }
        if (profile != null) {
            try (var walk = Files.walk(profile)) {
                walk.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static String chromium() {
        for (String p : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (new File(p).canExecute()) {
                return p;
            }
        }
        return null;
    }

    private String run(String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--window-size=1024,768", "--virtual-time-budget=3000"));
        cmd.addAll(List.of(extra));
        // ?once: the page stops its metrics EventSource after one event; an open stream would
        // keep headless Chromium's virtual time from running out, so it would never finish
        cmd.add("http://127.0.0.1:" + fx.facade.port() + "/?once");
        Path out = Files.createTempFile(profile, "stdout", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish: " + cmd);
        }
        assertEquals(0, p.exitValue(), "chromium exit status");
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    @Test
    void domShowsTheRuntimesDevicesLinesRoutesAndCounters() throws Exception {
        String dom = run("--dump-dom");
        assertTrue(dom.contains("boiler-7"), dom);
        assertTrue(dom.contains("greenhouse-3"), dom);
        assertTrue(dom.contains("/dev/ttyAMA0"), dom);
        assertTrue(dom.contains("device:dev0"), dom);
        assertTrue(dom.contains("ferry_router_messages_total"), "the metrics EventSource delivered: " + dom);
    }

    @Test
    void screenshotIsARenderedPage() throws Exception {
        Path shot = Path.of(System.getProperty("user.dir"), "target", "status-page.png");
        Files.createDirectories(shot.getParent());
        Files.deleteIfExists(shot);
        run("--screenshot=" + shot);
        assertTrue(Files.size(shot) > 0, "no screenshot");
        BufferedImage img = ImageIO.read(shot.toFile());
        assertNotNull(img, "not a PNG");
        assertEquals(1024, img.getWidth());
        assertEquals(768, img.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 50, "looks blank: " + colours.size() + " colours");
        System.out.println("status page screenshot: " + shot);
    }
}
