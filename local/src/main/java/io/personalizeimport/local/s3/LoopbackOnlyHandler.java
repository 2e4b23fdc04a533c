package io.personalizeimport.local.s3;

import io.personalizeimport.local.http.LoopbackOnly;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.gaul.shaded.org.eclipse.jetty.http.HttpFields;
import org.gaul.shaded.org.eclipse.jetty.server.Handler;
import org.gaul.shaded.org.eclipse.jetty.server.Request;
import org.gaul.shaded.org.eclipse.jetty.server.Response;
import org.gaul.shaded.org.eclipse.jetty.util.Callback;

/** {@link LoopbackOnly} first in S3Proxy's Jetty handler chain: neither faults nor S3Proxy see a refused request. */
final class LoopbackOnlyHandler extends Handler.Wrapper {

    // An S3 object may have any content type, text/plain and text/csv included; Host and Origin guard this endpoint.
    private static final LoopbackOnly CHECK = LoopbackOnly.anyType();

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HttpFields headers = request.getHeaders();
        Optional<LoopbackOnly.Refusal> refusal = CHECK.check(LoopbackOnly.Request.of(request.getMethod(),
                request.getHttpURI().getPath(), Request.getLocalPort(request), headers::get));
        if (refusal.isEmpty()) {
            return super.handle(request, response, callback);
        }
        response.setStatus(refusal.get().status());
        response.getHeaders().put("Content-Type", "application/json");
        response.write(true, ByteBuffer.wrap(refusal.get().json()), callback);
        return true;
    }
}
