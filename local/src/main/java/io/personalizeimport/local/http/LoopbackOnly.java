package io.personalizeimport.local.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** The check every local server makes first: its own loopback Host, no other site's page, no type sent unasked. */
public final class LoopbackOnly {

    private static final List<String> LOOPBACK_NAMES = List.of("127.0.0.1", "localhost", "[::1]");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    // The types a form or a fetch of any site may send without a CORS preflight (Fetch standard, "CORS-safelisted
    // request-header": Content-Type).
    private static final Set<String> UNASKED_TYPES =
            Set.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data");
    // Sec-Fetch-Site values of a browser's request that no other site's page made (Fetch Metadata).
    private static final Set<String> OWN_FETCH_SITES = Set.of("same-origin", "none");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String takes;
    private final String anyTypeUnder;

    private LoopbackOnly(String takes, String anyTypeUnder) {
        this.takes = takes;
        this.anyTypeUnder = anyTypeUnder;
    }

    /** For an endpoint whose clients send bodies of any type (S3 objects): only Host and Origin are checked. */
    public static LoopbackOnly anyType() {
        return new LoopbackOnly(null, null);
    }

    /** For an endpoint that takes {@code types} (named in the refusal), never a type a page may send unasked. */
    public static LoopbackOnly taking(String types) {
        return new LoopbackOnly(types, null);
    }

    /** The same check, but paths under {@code prefix} take any type: fault endpoints, which {@code curl -d} feeds. */
    public LoopbackOnly anyTypeUnder(String prefix) {
        return new LoopbackOnly(takes, prefix);
    }

    /** What a request shows of itself; a header it does not have is null. */
    public record Request(String method, String path, int localPort, String host, String origin, String fetchSite,
                          String contentType) {

        /** The request of a server that reads its headers by name ({@code header} answers null for a missing one). */
        public static Request of(String method, String path, int localPort, Function<String, String> header) {
            return new Request(method, path, localPort, header.apply("Host"), header.apply("Origin"),
                    header.apply("Sec-Fetch-Site"), header.apply("Content-Type"));
        }
    }

    /** Why a request is refused: its HTTP status, an error code in AWS's style and a sentence. */
    public record Refusal(int status, String error, String message) {

        /** The body of the refusal, {@code {"__type": error, "message": message}} as AWS's JSON protocols answer. */
        public byte[] json() {
            try {
                return JSON.writeValueAsBytes(Map.of("__type", error, "message", message));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The refusal of {@code request}, or empty when the server may answer it. */
    public Optional<Refusal> check(Request request) {
        int port = request.localPort();
        if (!isLoopback(request.host(), port)) {
            return forbidden((request.host() == null ? "No Host header" : "Host '" + request.host() + "' is not this"
                    + " server's") + ": it answers only Host " + String.join(", ", addresses("", port))
                    + " (another name is how a page of another site reaches a local server, by DNS rebinding)");
        }
        if (SAFE_METHODS.contains(request.method())) {
            return Optional.empty();
        }
        String origin = request.origin();
        if (origin != null && !addresses("http://", port).contains(origin.toLowerCase(Locale.ROOT))) {
            return forbidden("Origin '" + origin + "' is not this server's: a " + request.method()
                    + " is taken only with no Origin (command-line clients) or from "
                    + String.join(", ", addresses("http://", port)));
        }
        if (request.fetchSite() != null && !OWN_FETCH_SITES.contains(request.fetchSite().toLowerCase(Locale.ROOT))) {
            return forbidden("Sec-Fetch-Site '" + request.fetchSite() + "': a " + request.method()
                    + " is taken only from a page of this server's own origin");
        }
        String type = mediaType(request.contentType());
        if (takes != null && UNASKED_TYPES.contains(type)
                && (anyTypeUnder == null || !request.path().startsWith(anyTypeUnder))) {
            return Optional.of(new Refusal(415, "UnsupportedMediaTypeException", "Content-Type '" + type
                    + "' is refused, since a page of any site can send it without a CORS preflight: this endpoint"
                    + " takes " + takes));
        }
        return Optional.empty();
    }

    /** The check as a filter of the JDK's HTTP server: a refused request is answered here and goes no further. */
    public Filter filter() {
        return new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                Headers headers = exchange.getRequestHeaders();
                Optional<Refusal> refusal = check(new Request(exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(), exchange.getLocalAddress().getPort(),
                        headers.getFirst("Host"), headers.getFirst("Origin"), headers.getFirst("Sec-Fetch-Site"),
                        headers.getFirst("Content-Type")));
                if (refusal.isPresent()) {
                    refuse(exchange, refusal.get());
                } else {
                    chain.doFilter(exchange);
                }
            }

            @Override
            public String description() {
                return "Answers only this server's own loopback clients";
            }
        };
    }

    private static void refuse(HttpExchange exchange, Refusal refusal) throws IOException {
        byte[] body = refusal.json();
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("x-amzn-ErrorType", refusal.error());
            exchange.sendResponseHeaders(refusal.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Optional<Refusal> forbidden(String message) {
        return Optional.of(new Refusal(403, "AccessDeniedException", message));
    }

    private static boolean isLoopback(String host, int port) {
        return host != null && addresses("", port).contains(host.toLowerCase(Locale.ROOT));
    }

    private static List<String> addresses(String scheme, int port) {
        return LOOPBACK_NAMES.stream().map(name -> scheme + name + ":" + port).toList();
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
    }
}
