package dev.ferry.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page of a whole gateway in headless Chromium (driven over the DevTools protocol):
 * gateway A has a simulated MCU, rendezvous and a RESI link over TCP and UDP to gateway B. At
 * 1280x800 every panel (devices, lines, peers with per-transport state and RTT, rendezvous,
 * routes, live counters, northbound) must lie wholly inside the viewport with no page scrolling;
 * at a phone's 390 px each panel, scrolled to, must lie wholly inside the viewport and nothing
 * may overflow sideways. Screenshots are kept in {@code target/status-page-*.png}.
 */
@Tag("system")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StatusPageTest {
    private static final List<String> PANELS = List.of("devices", "lines", "peers", "rendezvous", "routes",
            "counters", "northbound");

    /** Resolves once every panel has data and the live parts (device, peer RTT, counters) arrived. */
    private static final String READY = """
            new Promise((resolve, reject) => {
              const text = id => (document.getElementById(id) || {innerText: ''}).innerText;
              const missing = () => {
                const m = [];
                const panels = [...document.querySelectorAll('.panel')];
                if (panels.length !== %d) m.push('panels: ' + panels.length);
                panels.filter(p => !p.dataset.loaded).forEach(p => m.push('no data in ' + p.id));
                if (!/ATTACHED/.test(text('devices'))) m.push('dev0 not attached');
                if (!/\\d+\\.\\d\\d/.test(text('peers'))) m.push('no RTT');
                if (!/plant/.test(text('rendezvous'))) m.push('no registration');
                if (!document.querySelector('#counters td')) m.push('no counters');
                return m;
              };
              const check = () => { if (missing().length === 0) { obs.disconnect(); resolve('ready'); } };
              const obs = new MutationObserver(check);
              obs.observe(document.documentElement, {childList: true, subtree: true, characterData: true});
              check();
              setTimeout(() => { obs.disconnect(); reject(new Error('not ready: ' + missing().join('; '))); }, 30000);
            })""".formatted(PANELS.size());

    /** One line per panel: "id ok" or "id FAIL why", then "page ok|FAIL why". */
    private static final String LAYOUT = """
            (() => {
              const out = [];
              const w = innerWidth, h = innerHeight, scroll = %b;
              for (const p of document.querySelectorAll('.panel')) {
                if (scroll) p.scrollIntoView({block: 'nearest'});
                const r = p.getBoundingClientRect();
                const td = p.querySelector('td, p');
                const font = td ? parseFloat(getComputedStyle(td).fontSize) : 0;
                const why = [];
                if (r.top < 0 || r.left < 0 || r.bottom > h + 0.5 || r.right > w + 0.5) why.push('outside the viewport');
                if (r.width < 150 || r.height < 50) why.push('too small');
                if (font < 12) why.push('font ' + font + 'px');
                out.push(p.id + (why.length ? ' FAIL ' + why.join(', ') : ' ok') + ' '
                         + [r.left, r.top, r.right, r.bottom].map(Math.round).join(','));
              }
              const d = document.documentElement;
              const page = [];
              if (d.scrollWidth > w) page.push('page is ' + d.scrollWidth + ' px wide');
              if (!scroll && d.scrollHeight > h) page.push('page is ' + d.scrollHeight + ' px high');
              out.push('page ' + (page.length ? 'FAIL ' + page.join(', ') : 'ok'));
              return out.join('\\n');
            })()""";

    @TempDir
    Path dir;

    @Test
    void wholeGatewayIsReadableAtDesktopAndPhoneWidths() throws Exception {
        assumeTrue(Chromium.path() != null, "chromium is not installed (apt-get install chromium)");
        int tcp = GatewayProcess.freeTcpPort();
        int udp = GatewayProcess.freeUdpPort();
        int httpA = GatewayProcess.freeTcpPort();
        Path a = dir.resolve("a.toml");
        Files.writeString(a, String.join("\n",
                "[node]", "id = \"gw-a\"",
                "[http]", "listen = \"127.0.0.1:" + httpA + "\"",
                "[rendezvous]", "enabled = true", "listen = \"127.0.0.1:0\"",
                "[[lines]]", "name = \"sim0\"", "simulate = true",
                "[[devices]]", "name = \"dev0\"", "line = \"sim0\"", "address = 1", "mount = \"/dev0\"",
                "namespaces = [\"plant\"]",
                "[[peers]]", "id = \"gw-b\"",
                "[[peers.transports]]", "kind = \"tcp\"", "listen = \"127.0.0.1:" + tcp + "\"",
                "[[peers.transports]]", "kind = \"udp\"", "listen = \"127.0.0.1:" + udp + "\"", ""));
        Path b = dir.resolve("b.toml");
        Files.writeString(b, String.join("\n",
                "[node]", "id = \"gw-b\"", "[http]", "enabled = false",
                "[[peers]]", "id = \"gw-a\"",
                "[[peers.transports]]", "kind = \"tcp\"", "connect = \"127.0.0.1:" + tcp + "\"",
                "[[peers.transports]]", "kind = \"udp\"", "connect = \"127.0.0.1:" + udp + "\"", ""));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + httpA;
        Path shots = Path.of(System.getProperty("user.dir"), "target");
        Files.createDirectories(shots);
        try (GatewayProcess ga = GatewayProcess.start(a); GatewayProcess gb = GatewayProcess.start(b);
             Chromium chromium = new Chromium(Files.createDirectories(dir.resolve("profile")))) {
            ga.awaitPort(httpA);
            Repo.awaitAttached(http, base, "dev0");
            Repo.awaitEvent(http, base + "/%23runtime/peers/gw-b", "\"live\":true");
            for (int[] v : new int[][] {{1280, 800, 0}, {390, 844, 1}}) {
                boolean phone = v[2] == 1;
                chromium.open(base + "/", v[0], v[1], phone);
                assertEquals("ready", chromium.eval(READY));
                String layout = chromium.eval(LAYOUT.formatted(phone));
                Path shot = shots.resolve("status-page-" + v[0] + ".png");
                Files.write(shot, chromium.screenshot());
                System.out.println("status page at " + v[0] + "x" + v[1] + ": " + shot + "\n" + layout);
                for (String id : PANELS) {
                    assertTrue(layout.contains("panel-" + id + " ok"), id + " at " + v[0] + " px:\n" + layout);
                }
                assertTrue(layout.contains("page ok"), layout);
                String text = chromium.eval("document.body.innerText");
                for (String want : List.of("dev0", "sim0", "gw-b", "tcp-listen", "udp-listen", "/dev0",
                        "ferry_router_messages_total", "gw-a")) {
                    assertTrue(text.contains(want), want + " on the page at " + v[0] + " px:\n" + text);
                }
            }
            String href = chromium.eval("document.querySelector('header a').href");
            HttpResponse<String> doc = http.send(HttpRequest.newBuilder(URI.create(href)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, doc.statusCode(), href);
            assertTrue(doc.body().startsWith("# Ferry HTTP API"), doc.body());
        }
    }
}
