package dev.ferry.edge.rendezvous;

/** Why the {@link RendezvousRegistry} refused a registration or subscription; {@link #label} is the metric label. */
public enum Refusal {
    NAMESPACES_PER_PEER("namespaces_per_peer"),
    REGISTRATIONS_PER_NAMESPACE("registrations_per_namespace"),
    SUBSCRIPTIONS_PER_PEER("subscriptions_per_peer"),
    NOT_OWNER("not_owner"),
    CLOSED("closed");

    private final String label;

    Refusal(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
