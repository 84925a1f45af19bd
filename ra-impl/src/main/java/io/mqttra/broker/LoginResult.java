package io.mqttra.broker;

/** What an {@link Authenticator} decided: {@link Granted} with the identity, or {@link Refused} with why. */
public sealed interface LoginResult permits LoginResult.Granted, LoginResult.Refused {

    /** Why a login was refused; each maps to its CONNACK code at every protocol level. */
    enum Reason {
        /** Unknown user or wrong password: 3.x code 4, 5.0 0x86. */
        BAD_CREDENTIALS,
        /** The credentials are right or absent, but this client may not connect here: 3.x code 5, 5.0 0x87. */
        NOT_AUTHORIZED,
        /** The security realm could not answer (down, overloaded): 3.x code 3, 5.0 0x88. */
        UNAVAILABLE
    }

    record Granted(ClientIdentity identity) implements LoginResult {
    }

    /** @param why for the server's log; never sent to the client, never containing the password */
    record Refused(Reason reason, String why) implements LoginResult {
    }

    static LoginResult granted(ClientIdentity identity) {
        return new Granted(identity);
    }

    static LoginResult refused(Reason reason, String why) {
        return new Refused(reason, why);
    }
}
