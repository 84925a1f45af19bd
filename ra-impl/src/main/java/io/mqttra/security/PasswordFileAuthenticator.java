package io.mqttra.security;

import io.mqttra.broker.Authenticator;
import io.mqttra.broker.ClientIdentity;
import io.mqttra.broker.LoginRequest;
import io.mqttra.broker.LoginResult;
import io.mqttra.broker.LoginResult.Reason;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Checks user names and passwords against a Mosquitto password file ({@link PasswordFile}), on the
 * login threads of a {@link BlockingLoginExecutor}, as hashing takes a while. Users get no roles. An
 * unknown user, a wrong password and a missing user name or password are all
 * {@link Reason#BAD_CREDENTIALS}, and the first two take the same time.
 */
public final class PasswordFileAuthenticator implements Authenticator {

    private final Path path;
    private final BlockingLoginExecutor executor;
    private volatile PasswordFile file;

    /**
     * Reads the file now.
     *
     * @throws IOException when it cannot be read
     * @throws IllegalArgumentException for a malformed line, naming the file and the line
     */
    public PasswordFileAuthenticator(Path path, BlockingLoginExecutor executor) throws IOException {
        this.path = path;
        this.executor = executor;
        this.file = PasswordFile.read(path);
    }

    /**
     * Reads the file again, e.g. after {@code mosquitto_passwd} changed it; logins that follow use the
     * new one. When the file cannot be read or has a malformed line, the one read before stays in use.
     */
    public void reload() throws IOException {
        file = PasswordFile.read(path);
    }

    @Override
    public CompletionStage<LoginResult> login(LoginRequest request) {
        return executor.submit(request, this::check);
    }

    LoginResult check(LoginRequest request) {
        PasswordFile current = file;
        String user = request.userName();
        if (user == null) {
            // an anonymous client, not a wrong password: not authorized, as Mosquitto answers it
            return LoginResult.refused(Reason.NOT_AUTHORIZED, "no user name, and anonymous clients are not let in");
        }
        if (request.password() == null) {
            return LoginResult.refused(Reason.BAD_CREDENTIALS, "no password for the " + current + " in the " + request);
        }
        if (current.check(user, request.password())) {
            return LoginResult.granted(ClientIdentity.of(user, Set.of()));
        }
        String what = current.contains(user) ? "wrong password" : "unknown user";
        return LoginResult.refused(Reason.BAD_CREDENTIALS, what + " in the " + request + " (" + current + ")");
    }

    @Override
    public String toString() {
        return "logins checked against the " + file;
    }
}
