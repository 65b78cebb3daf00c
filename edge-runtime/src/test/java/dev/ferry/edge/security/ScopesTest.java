package dev.ferry.edge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.edge.route.Principal;
import dev.ferry.rp.Path;
import dev.ferry.rp.Verb;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What a scope reaches, and what it must not: the rules a careless grant relies on. */
@Tag("small")
class ScopesTest {
    private static Scopes parse(String words) {
        TokenFile.Parsed p = TokenFile.parse("x cert " + words, "t");
        assertTrue(p.ok(), p.problems().toString());
        return p.grants().get(0).scopes();
    }

    @Test
    void readAndWriteArePerPrefixAndSeparate() {
        Scopes s = parse("read:/a write:/a/leds");
        assertTrue(s.allows(Verb.GET, Path.of("/a")));
        assertTrue(s.allows(Verb.GET, Path.of("/a/b/c")));
        assertTrue(s.allows(Verb.GET, Path.of("/a#schema")));
        assertFalse(s.allows(Verb.GET, Path.of("/ab")), "prefixes match at segment boundaries");
        assertFalse(s.allows(Verb.PUT, Path.of("/a/x")), "read does not imply write");
        assertTrue(s.allows(Verb.PUT, Path.of("/a/leds/0")));
        for (Verb v : List.of(Verb.POST, Verb.PATCH, Verb.DELETE)) {
            assertTrue(s.allows(v, Path.of("/a/leds")), v.name());
        }
        assertFalse(Path.parse("/a/../b").isOk(), "no way out of a prefix with dot segments");
        assertFalse(s.allows(Verb.DELETE, Path.of("/b")));
    }

    @Test
    void theRuntimeTreeNeedsItsOwnScope() {
        Scopes everything = parse("read:/ write:/");
        assertTrue(everything.allows(Verb.GET, Path.of("/dev0/x")));
        assertFalse(everything.allows(Verb.GET, Path.of("/#runtime/devices")), "read:/ must not reach /#runtime");
        assertFalse(everything.allows(Verb.PUT, Path.of("/#runtime/x")));
        assertFalse(everything.allows(Verb.GET, Path.of("/#lan/1/2")));
        Scopes runtime = parse("read:/#runtime");
        assertTrue(runtime.allows(Verb.GET, Path.of("/#runtime/devices")));
        assertFalse(runtime.allows(Verb.GET, Path.of("/dev0")));
        assertFalse(runtime.allows(Verb.PUT, Path.of("/#runtime/devices")));
    }

    @Test
    void facadePagesAndNamespaces() {
        Scopes s = parse("metrics register:kitchen discover:*");
        assertTrue(s.metrics());
        assertFalse(s.status());
        assertTrue(s.mayRegister("kitchen"));
        assertFalse(s.mayRegister("garage"));
        assertTrue(s.mayDiscover("garage"));
        assertTrue(parse("register:*").mayRegister("anything"));
        assertFalse(Scopes.NONE.mayDiscover("x"));
    }

    @Test
    void theClientPolicyLooksTheGrantUpOnEveryRequest() {
        Grant g = new Grant("panel", null, parse("read:/a"));
        TokenStore store = TokenStore.of(List.of(g));
        var policy = ClientPolicy.clients(store);
        assertNull(policy.refuse(Principal.client("panel"), Verb.GET, Path.of("/a/x")));
        assertEquals("panel may not write /a/x", policy.refuse(Principal.client("panel"), Verb.PUT, Path.of("/a/x")));
        assertTrue(policy.refuse(Principal.client("ghost"), Verb.GET, Path.of("/a")).contains("not in the token store"));
        GatewayPolicy gw = new GatewayPolicy();
        ClientPolicy.install(gw, store, false);
        assertTrue(gw.refuse(Principal.LOCAL, Verb.GET, Path.of("/a")).contains("allow_anonymous_loopback"));
        ClientPolicy.install(gw, store, true);
        assertNull(gw.refuse(Principal.LOCAL, Verb.PUT, Path.of("/#runtime/x")));
    }
}
