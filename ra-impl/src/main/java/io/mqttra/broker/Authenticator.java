package io.mqttra.broker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Checks a client's credentials at CONNECT. The check may be slow (an LDAP realm, a JAAS module), so
 * it answers asynchronously and must never block the calling thread, which is a Netty event loop: the
 * connection's reads stay paused until the answer comes. An implementation that cannot answer (its
 * realm is down, its queue is full) completes with {@link LoginResult.Reason#UNAVAILABLE}; an
 * exceptional completion is treated the same way.
 */
@FunctionalInterface
public interface Authenticator {

    /** Lets every client in as {@link ClientIdentity#ANONYMOUS}. */
    Authenticator ANONYMOUS = request -> CompletableFuture.completedFuture(
            LoginResult.granted(ClientIdentity.ANONYMOUS));

    CompletionStage<LoginResult> login(LoginRequest request);
}
