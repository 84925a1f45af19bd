/**
 * What a JAAS login module receives from MQTT-RA besides the standard {@code NameCallback} and
 * {@code PasswordCallback}: the client identifier, the client's network address, the listener's name
 * and the client's TLS certificate chain. A module asks for them as for any callback; the handler
 * fills in what it knows and leaves the rest {@code null}.
 */
package io.mqttra.api.security;
