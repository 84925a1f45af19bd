package io.mqttra.jca.inbound;

/** Where a bean's activation stands, for administrators. */
public enum ActivationState {
    /** Delivering. */
    ACTIVE,
    /** An administrator paused it: messages queue, none is delivered. */
    PAUSED,
    /** No bean instance was available, or the server refused the work: delivery resumes shortly. */
    WAITING,
    /** Deactivated. */
    STOPPED
}
