package io.mqttra.security;

import io.mqttra.broker.Authenticator;
import io.mqttra.broker.ClientIdentity;
import io.mqttra.broker.LoginRequest;
import io.mqttra.broker.LoginResult;
import io.mqttra.broker.LoginResult.Reason;
import jakarta.resource.spi.work.SecurityContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkAdapter;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkContextProvider;
import jakarta.resource.spi.work.WorkEvent;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;
import jakarta.security.auth.message.callback.CallerPrincipalCallback;
import jakarta.security.auth.message.callback.PasswordValidationCallback;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.UnsupportedCallbackException;

/**
 * Checks user name and password against the application server's own security (on WildFly the
 * Elytron domain the adapter is mapped to, on Open Liberty its user registry) through JCA security
 * inflow: a small {@link Work} carries a {@link SecurityContext} whose callbacks ask the container to
 * validate the password, and the server runs it on its own threads, so the check never blocks an event
 * loop however slow the realm (LDAP) is. Logins under way at once are bounded: the next ones wait
 * their turn (a fleet reconnecting after a restart comes in at once), up to a bound beyond which a
 * client is told the server is unavailable rather than queued without end.
 */
public final class ContainerAuthenticator implements Authenticator {

    /** Logins that may wait for a turn, per login allowed under way. */
    private static final int WAITING_PER_RUNNING = 100;

    private final WorkManager workManager;
    private final Semaphore underWay;
    private final int maxWaiting;
    private final ConcurrentLinkedQueue<LoginWork> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waitingCount = new AtomicInteger();

    public ContainerAuthenticator(WorkManager workManager, int maxConcurrentLogins) {
        this.workManager = workManager;
        this.underWay = new Semaphore(maxConcurrentLogins);
        this.maxWaiting = maxConcurrentLogins * WAITING_PER_RUNNING;
    }

    @Override
    public CompletionStage<LoginResult> login(LoginRequest request) {
        if (request.userName() == null) {
            return CompletableFuture.completedFuture(LoginResult.refused(Reason.NOT_AUTHORIZED,
                    "no user name, and this listener does not let anonymous clients in"));
        }
        if (request.password() == null) {
            return CompletableFuture.completedFuture(LoginResult.refused(Reason.BAD_CREDENTIALS, "no password"));
        }
        LoginWork work = new LoginWork(request.userName(), request.passwordChars());
        if (underWay.tryAcquire()) {
            schedule(work);
        } else if (waitingCount.incrementAndGet() > maxWaiting) {
            waitingCount.decrementAndGet();
            work.failure = "more than " + maxWaiting + " logins waiting for the server's security";
            work.finish();
        } else {
            waiting.add(work);
            startWaiting(); // a login may have ended between tryAcquire and add
        }
        return work.result;
    }

    private void schedule(LoginWork work) {
        work.result.whenComplete((r, e) -> {
            underWay.release();
            startWaiting();
        });
        try {
            workManager.scheduleWork(work, WorkManager.INDEFINITE, null, new WorkAdapter() {
                @Override
                public void workRejected(WorkEvent e) {
                    work.finish();
                }

                @Override
                public void workCompleted(WorkEvent e) {
                    work.finish();
                }
            });
        } catch (WorkException | RuntimeException e) {
            work.finish();
        }
    }

    /** Gives the free turns to waiting logins. */
    private void startWaiting() {
        while (!waiting.isEmpty() && underWay.tryAcquire()) {
            LoginWork next = waiting.poll();
            if (next == null) {
                underWay.release();
                return;
            }
            waitingCount.decrementAndGet();
            schedule(next);
        }
    }

    /**
     * The login itself. The server calls {@link InflowedLogin#setupSecurityContext} before it runs the
     * work; WildFly then refuses to run a work whose password was wrong, so the outcome is decided in
     * {@link #finish()}, whichever way the work ended.
     */
    private static final class LoginWork implements Work, WorkContextProvider {

        private final String userName;
        private final char[] password;
        private final CompletableFuture<LoginResult> result = new CompletableFuture<>();
        private volatile Boolean passwordValid;
        private volatile Set<String> roles = Set.of();
        private volatile String failure;

        LoginWork(String userName, char[] password) {
            this.userName = userName;
            this.password = password;
        }

        @Override
        public List<WorkContext> getWorkContexts() {
            return List.of(new InflowedLogin());
        }

        @Override
        public void run() {
            finish();
        }

        @Override
        public void release() {
        }

        void finish() {
            Arrays.fill(password, '\0');
            Boolean valid = passwordValid;
            if (valid == null) {
                result.complete(LoginResult.refused(Reason.UNAVAILABLE, failure != null ? failure
                        : "the server did not run the security inflow (is the adapter's work manager security configured?)"));
            } else if (valid) {
                result.complete(LoginResult.granted(ClientIdentity.of(userName, roles)));
            } else {
                result.complete(LoginResult.refused(Reason.BAD_CREDENTIALS, "the server's security refused user name or password"));
            }
        }

        private final class InflowedLogin extends SecurityContext {

            @Override
            public void setupSecurityContext(CallbackHandler handler, Subject executionSubject, Subject serviceSubject) {
                // WildFly validates the password only when a caller principal comes with it
                PasswordValidationCallback validation = new PasswordValidationCallback(executionSubject, userName, password.clone());
                try {
                    handler.handle(new Callback[] {new CallerPrincipalCallback(executionSubject, userName), validation});
                    if (validation.getResult()) {
                        roles = SubjectRoles.of(executionSubject, userName);
                    }
                    passwordValid = validation.getResult();
                } catch (IOException | UnsupportedCallbackException | RuntimeException e) {
                    passwordValid = validatedAlone(handler, executionSubject, e);
                } finally {
                    validation.clearPassword();
                }
            }

            /**
             * After the two callbacks together failed: Liberty refuses a caller principal its registry does not
             * know with an exception, before it looks at the password. Asked about the password alone, the
             * server says whether it is a bad login (an unknown user, CONNACK 4 / 0x86); a server that fails then
             * too is unavailable.
             */
            private Boolean validatedAlone(CallbackHandler handler, Subject executionSubject, Exception first) {
                PasswordValidationCallback alone = new PasswordValidationCallback(executionSubject, userName, password.clone());
                try {
                    handler.handle(new Callback[] {alone});
                    if (!alone.getResult()) {
                        return false;
                    }
                } catch (IOException | UnsupportedCallbackException | RuntimeException e) {
                    // the server fails either way: reported with the first failure below
                } finally {
                    alone.clearPassword();
                }
                failure = "the server's security failed: " + first;
                return null;
            }

            @Override
            public String getName() {
                return "MQTT login";
            }

            @Override
            public String getDescription() {
                return "validates an MQTT client's user name and password";
            }
        }
    }
}
