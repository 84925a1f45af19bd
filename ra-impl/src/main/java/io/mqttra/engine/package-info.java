/**
 * The engine alone in a plain JVM ({@code java -jar mqtt-ra-impl-VERSION-engine.jar}): the command
 * line that puts the broker and its security together, as the resource adapter does in a server.
 *
 * <p>May use: {@code io.mqttra.broker}, {@code io.mqttra.security}, {@code io.mqttra.api}. Nothing
 * uses this package.
 */
package io.mqttra.engine;
