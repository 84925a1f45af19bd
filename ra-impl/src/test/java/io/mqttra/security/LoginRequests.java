package io.mqttra.security;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.mqttra.broker.ClientIdentity;
import io.mqttra.broker.LoginRequest;
import io.mqttra.broker.LoginResult;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Login requests as the broker makes them, and their answers, for the authenticators' tests. */
final class LoginRequests {

    static final InetSocketAddress ADDRESS = new InetSocketAddress("192.0.2.7", 50123);

    private LoginRequests() {
    }

    static LoginRequest login(String user, String password, X509Certificate... chain) {
        return new LoginRequest("ssl-8883", "client-1", user,
                password == null ? null : password.getBytes(StandardCharsets.UTF_8), ADDRESS, List.of(chain), 5);
    }

    static LoginResult answer(CompletionStage<LoginResult> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static ClientIdentity granted(LoginResult result) {
        return assertInstanceOf(LoginResult.Granted.class, result, () -> "refused: " + result).identity();
    }

    static LoginResult.Refused refused(LoginResult result) {
        return assertInstanceOf(LoginResult.Refused.class, result);
    }
}
