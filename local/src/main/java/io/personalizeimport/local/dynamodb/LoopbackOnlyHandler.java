package io.personalizeimport.local.dynamodb;

import io.personalizeimport.local.http.LoopbackOnly;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@link LoopbackOnly} in front of DynamoDB Local's request handler, in the Jetty server of {@link LocalDynamoDb}. */
final class LoopbackOnlyHandler extends Handler.Wrapper {

    private static final LoopbackOnly CHECK = LoopbackOnly.taking("application/x-amz-json-1.0");

    LoopbackOnlyHandler(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HttpFields headers = request.getHeaders();
        Optional<LoopbackOnly.Refusal> refusal = CHECK.check(LoopbackOnly.Request.of(request.getMethod(),
                request.getHttpURI().getPath(), Request.getLocalPort(request), headers::get));
        if (refusal.isEmpty()) {
            return super.handle(request, response, callback);
        }
        HttpFields.Mutable answer = response.getHeaders();
        answer.put("Content-Type", "application/json");
        answer.put("x-amzn-ErrorType", refusal.get().error());
        response.setStatus(refusal.get().status());
        response.write(true, ByteBuffer.wrap(refusal.get().json()), callback);
        return true;
    }
}
