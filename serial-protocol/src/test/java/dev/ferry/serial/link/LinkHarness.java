package dev.ferry.serial.link;

import dev.ferry.rp.Message;
import dev.ferry.serial.frame.Frame;
import dev.ferry.serial.frame.FrameDecoder;
import dev.ferry.serial.frame.FrameEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A primary and a secondary joined by an in-memory half-duplex line that, with a seeded random
 * source, drops, duplicates and corrupts frames on their way through the real encoder/decoder.
 */
final class LinkHarness {
    final PrimaryStation primary;
    final SecondaryStation secondary;
    final List<Message> atPrimary = new ArrayList<>();
    final List<Message> atSecondary = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    final Random rnd;
    double loss;
    double duplicate;
    double corrupt;
    boolean cut;
    long now = 1_000_000L;
    long corrupted;
    private final FrameDecoder toPrimary;
    private final FrameDecoder toSecondary;

    LinkHarness(PrimaryConfig pc, LinkParams secondaryParams, int secondaryMaxMessage, long seed) {
        this.rnd = new Random(seed);
        this.primary = new PrimaryStation(pc, new LinkListener() {
            @Override
            public void onMessage(int address, Message message) {
                atPrimary.add(message);
            }

            @Override
            public void onLinkUp(int address, LinkParams negotiated) {
                events.add("up " + negotiated.frameSize() + "/" + negotiated.window());
            }

            @Override
            public void onLinkDown(int address, String reason) {
                events.add("down " + reason);
            }
        });
        this.secondary = new SecondaryStation(pc.address(), secondaryParams, 16, secondaryMaxMessage,
                (address, message) -> atSecondary.add(message));
        this.toPrimary = new FrameDecoder(pc.params().frameSize());
        this.toSecondary = new FrameDecoder(secondaryParams.frameSize());
    }

    /** One poll turn (or a 1 ms idle step when the station is not due); returns frames the primary sent. */
    List<Frame> turn() {
        now += 1_000_000L;
        if (!primary.isDue(now)) {
            return List.of();
        }
        List<Frame> sent = primary.startTurn(now);
        List<Frame> responses = new ArrayList<>();
        for (Frame f : sent) {
            for (Frame g : carry(f, toSecondary)) {
                responses.addAll(secondary.receive(g));
            }
        }
        for (Frame r : responses) {
            for (Frame g : carry(r, toPrimary)) {
                primary.receive(g, now);
            }
        }
        if (primary.isAwaitingResponse()) {
            primary.timeout(now);
        }
        return sent;
    }

    /** Runs turns until {@code done} or the turn limit; returns the turns used. */
    int runUntil(java.util.function.BooleanSupplier done, int maxTurns) {
        for (int i = 0; i < maxTurns; i++) {
            if (done.getAsBoolean()) {
                return i;
            }
            turn();
        }
        return maxTurns;
    }

    private List<Frame> carry(Frame f, FrameDecoder rx) {
        List<Frame> out = new ArrayList<>(2);
        if (cut || rnd.nextDouble() < loss) {
            return out;
        }
        int copies = rnd.nextDouble() < duplicate ? 2 : 1;
        for (int c = 0; c < copies; c++) {
            byte[] wire = FrameEncoder.encodeFrame(f);
            if (rnd.nextDouble() < corrupt) {
                wire[rnd.nextInt(wire.length - 1)] ^= (byte) (1 + rnd.nextInt(255));
                corrupted++;
            }
            byte[] line = new byte[wire.length + 1];               // leading delimiter, as after idle
            System.arraycopy(wire, 0, line, 1, wire.length);
            rx.feed(line, 0, line.length, d -> {
                if (d.isOk()) {
                    out.add(d.value());
                }
            });
        }
        return out;
    }
}
