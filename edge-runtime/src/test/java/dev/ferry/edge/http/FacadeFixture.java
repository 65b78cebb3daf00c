package dev.ferry.edge.http;

import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.route.Route;
import dev.ferry.edge.route.RouteTable;
import dev.ferry.edge.route.Router;
import dev.ferry.edge.route.StreamTable;
import dev.ferry.rp.Path;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real router with a route table, the fake device and runtime, and a started facade on an
 * ephemeral loopback port; plus an HTTP/1.1 client.
 */
final class FacadeFixture implements AutoCloseable {
    /** The router's request timeout (the facade's backstop is much longer). */
    static final Duration ROUTER_TIMEOUT = Duration.ofMillis(400);

    final Metrics metrics = new Metrics();
    final Router router;
    final FakeDevice device;
    final FakeRuntime runtime;
    final LanFacade facade;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    FacadeFixture() throws IOException {
        this(new LanFacadeConfig(LanFacadeConfig.LOOPBACK, 0, 32, 256 * 1024, Duration.ofSeconds(5)));
    }

    FacadeFixture(LanFacadeConfig config) throws IOException {
        this(config, true);
    }

    /** With {@code open} false the facade is only bound: connections wait for {@link LanFacade#open()}. */
    FacadeFixture(LanFacadeConfig config, boolean open) throws IOException {
        this(config, FacadeSecurity.defaults(), open);
    }

    /**
     * A facade protected by {@code security}, the router authorizing by the gateway's policy with
     * the CLIENT/LOCAL rules of {@code security}'s token store.
     */
    FacadeFixture(LanFacadeConfig config, FacadeSecurity security, boolean open) throws IOException {
        RouteTable table = RouteTable.of(List.of(
                LanFacade.route(),
                Route.mount(Path.of("/dev0"), "device:dev0"),
                new Route(Path.of("/#runtime"), "runtime", Path.ROOT, Path.ROOT)));
        router = new Router(table, new StreamTable(256), metrics,
                TimeUnit.MILLISECONDS.toNanos(ROUTER_TIMEOUT.toMillis()), System::nanoTime);
        device = new FakeDevice(router);
        runtime = new FakeRuntime(router);
        router.attach(device);
        router.attach(runtime);
        dev.ferry.edge.security.GatewayPolicy policy = new dev.ferry.edge.security.GatewayPolicy();
        dev.ferry.edge.security.ClientPolicy.install(policy, security.auth().store(), security.auth().anonymousLoopback());
        router.policy(policy);
        facade = new LanFacade(config, security, router, metrics);
        if (open) {
            facade.start();
        } else {
            facade.bind();
        }
    }

    URI uri(String rawPath) {
        return URI.create(facade.security().scheme() + "://127.0.0.1:" + facade.port() + rawPath);
    }

    HttpRequest.Builder request(String rawPath) {
        return HttpRequest.newBuilder(uri(rawPath)).timeout(Duration.ofSeconds(10));
    }

    HttpResponse<String> get(String rawPath) throws IOException, InterruptedException {
        return client.send(request(rawPath).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    long dropped(String reason) {
        return metrics.value("ferry_http_dropped_total{reason=\"" + reason + "\"}");
    }

    @Override
    public void close() {
        facade.close();
        device.close();
        runtime.close();
    }
}
