package dev.ferry.bench;

import dev.ferry.edge.config.HostPort;
import dev.ferry.edge.metrics.Metrics;
import dev.ferry.edge.rendezvous.Registration;
import dev.ferry.edge.rendezvous.RendezvousClient;
import dev.ferry.edge.rendezvous.RendezvousLimits;
import dev.ferry.edge.rendezvous.RendezvousMessage;
import dev.ferry.edge.rendezvous.RendezvousService;
import dev.ferry.edge.rendezvous.RendezvousWire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Rendezvous fan-out: 100 subscribers in one namespace (RendezvousClient each), then one TCP
 * registrant sends 1,000 REGISTERs; measures the time from the first byte sent until every
 * subscriber has every announcement (100,000 deliveries), and the process RSS growth (VmRSS),
 * both during the fan-out (from "subscribers ready") and over the whole run (from before the
 * service started; includes the 100 client threads, JIT and heap sizing of this one JVM that
 * hosts both service and clients). Goal: under 1 s and under 32 MiB.
 *
 * <pre>
 *   mvn -q -o -pl edge-runtime install -DskipTests
 *   mvn -q -o -pl tests package -DskipTests
 *   mvn -q -o -pl tests dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java -cp tests/target/classes:$(cat tests/target/cp.txt) dev.ferry.bench.RendezvousFanoutBench [subscribers] [registrations]
 * </pre>
 */
public final class RendezvousFanoutBench {
    private RendezvousFanoutBench() { }

    public static void main(String[] args) throws Exception {
        int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int registrations = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        long rssBefore = rssKib();
        RendezvousLimits limits = RendezvousLimits.of(16, 4096, 2 * registrations);
        try (RendezvousService service = RendezvousService.start(new HostPort("127.0.0.1", 0), limits,
                subscribers + 8, new Metrics())) {
            HostPort at = new HostPort("127.0.0.1", service.localAddress().getPort());
            CountDownLatch ready = new CountDownLatch(subscribers);
            CountDownLatch all = new CountDownLatch(subscribers * registrations);
            List<RendezvousClient> clients = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                RendezvousClient c = new RendezvousClient(at, new RendezvousClient.Listener() {
                    @Override
                    public void registered(Registration r) {
                        if (r.id().equals("sync")) {
                            ready.countDown();
                        } else {
                            all.countDown();
                        }
                    }
                }, 50, 1000);
                c.enter("bench");
                clients.add(c.start());
            }
            try (RendezvousClient sync = new RendezvousClient(at, RendezvousClient.Listener.NONE, 50, 1000).start()) {
                sync.register(Registration.of("bench", "sync", "x"));
                if (!ready.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("subscribers not ready");
                }
            }
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int i = 0; i < registrations; i++) {
                batch.write(RendezvousWire.frame(RendezvousMessage.register(List.of(
                        Registration.of("bench", "peer-" + i, "http://10.0.0." + (i % 250) + ":8080/dev" + i)))));
            }
            try (Socket registrant = new Socket(at.host(), at.port())) {
                long rssReady = rssKib();
                long t0 = System.nanoTime();
                registrant.getOutputStream().write(batch.toByteArray());
                registrant.getOutputStream().flush();
                boolean done = all.await(60, TimeUnit.SECONDS);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                long rssAfter = rssKib();
                System.out.printf("rendezvous fan-out: %d registrations x %d subscribers = %d deliveries: %s in %d ms%n",
                        registrations, subscribers, (long) registrations * subscribers,
                        done ? "all delivered" : "INCOMPLETE (" + all.getCount() + " missing)", ms);
                System.out.printf("RSS: start %d KiB, subscribers ready %d KiB, end %d KiB;"
                        + " growth during fan-out %.1f MiB, whole run %.1f MiB%n", rssBefore, rssReady, rssAfter,
                        (rssAfter - rssReady) / 1024.0, (rssAfter - rssBefore) / 1024.0);
            }
            clients.forEach(RendezvousClient::close);
        }
    }

    private static long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
