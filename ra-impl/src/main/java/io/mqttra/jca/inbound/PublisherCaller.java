package io.mqttra.jca.inbound;

import io.mqttra.broker.PublishedMessage;
import jakarta.resource.spi.work.SecurityContext;
import jakarta.security.auth.message.callback.CallerPrincipalCallback;
import jakarta.security.auth.message.callback.GroupPrincipalCallback;
import java.io.IOException;
import java.util.Set;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.UnsupportedCallbackException;

/**
 * The MQTT client that published a message, as the caller of the bean that processes it: its user
 * name becomes the caller principal and its roles the caller's roles, through JCA security inflow.
 * The broker checked the client's password at CONNECT, so only the name and the roles it was given
 * then are asserted here: the password is never kept.
 *
 * @param name the publisher's authenticated user name
 * @param roles the roles the server's security gave it at login
 */
record PublisherCaller(String name, Set<String> roles) {

    /** The caller for {@code message}, or {@code null} when it has no authenticated publisher (anonymous, or the server's own). */
    static PublisherCaller of(PublishedMessage message) {
        return message.publisherUserName() == null || message.publisherClientId() == null ? null
                : new PublisherCaller(message.publisherUserName(), message.publisherRoles());
    }

    /** Whether {@code message} runs as this caller. */
    boolean published(PublishedMessage message) {
        return name.equals(message.publisherUserName()) && roles.equals(message.publisherRoles());
    }

    SecurityContext securityContext() {
        return new SecurityContext() {
            @Override
            public void setupSecurityContext(CallbackHandler handler, Subject executionSubject, Subject serviceSubject) {
                Callback principal = new CallerPrincipalCallback(executionSubject, name);
                Callback[] callbacks = roles.isEmpty() ? new Callback[] {principal}
                        : new Callback[] {principal, new GroupPrincipalCallback(executionSubject, roles.toArray(String[]::new))};
                try {
                    handler.handle(callbacks);
                } catch (IOException | UnsupportedCallbackException e) {
                    throw new IllegalStateException("the server cannot run a delivery as MQTT user " + name + ": " + e, e);
                }
            }

            @Override
            public String getName() {
                return "MQTT publisher " + name;
            }
        };
    }
}
