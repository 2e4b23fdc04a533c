package io.personalizeimport.local.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The baseline of {@code local/run bench}: a JVM that makes one HTTP request with the JDK's own client to the URL it is
 * given, prints the status and exits; the least any function's cold start includes.
 */
public final class BareJvm {

    private BareJvm() {
    }

    public static void main(String[] args) throws Exception {
        HttpResponse<Void> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(args[0])).build(), HttpResponse.BodyHandlers.discarding());
        System.out.println(response.statusCode());
    }
}
