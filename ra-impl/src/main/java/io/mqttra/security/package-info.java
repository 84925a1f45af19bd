/**
 * Who may connect and what they may do: the broker's {@code Authenticator}s (the application
 * server's security domain through JCA security inflow, a JAAS login configuration, TLS client
 * certificates, a Mosquitto password file for the standalone engine) and its {@code Authorizer} (topic
 * permissions from rules or a Mosquitto ACL file). Checks that block (hashing, a JAAS module) run on
 * the threads of a {@code BlockingLoginExecutor}, never on the broker's event loops.
 *
 * <p>May use: {@code io.mqttra.broker}, {@code io.mqttra.api} and the Jakarta APIs (JCA security
 * inflow). The broker calls this package only through its own interfaces.
 */
package io.mqttra.security;
