package io.mqttra.security;

import static io.mqttra.security.LoginRequests.login;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mqttra.api.security.CertificateChainCallback;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.TextInputCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import org.junit.jupiter.api.Test;

class LoginCallbackHandlerTest {

    @Test
    void answersWithNullWhatTheClientDidNotSend() throws Exception {
        NameCallback name = new NameCallback("user");
        PasswordCallback password = new PasswordCallback("password", false);
        CertificateChainCallback chain = new CertificateChainCallback();
        new LoginCallbackHandler(login(null, null), null).handle(new Callback[] {name, password, chain});
        assertNull(name.getName());
        assertNull(password.getPassword());
        assertEquals(0, chain.getChain().length);
    }

    @Test
    void thePasswordIsTheRequestsAsCharacters() throws Exception {
        PasswordCallback password = new PasswordCallback("password", false);
        char[] chars = login("alice", "pässwörd").passwordChars();
        new LoginCallbackHandler(login("alice", "pässwörd"), chars).handle(new Callback[] {password});
        assertArrayEquals("pässwörd".toCharArray(), password.getPassword());
    }

    @Test
    void anyOtherCallbackIsUnsupported() {
        Callback other = new TextInputCallback("favourite colour?");
        UnsupportedCallbackException e = assertThrows(UnsupportedCallbackException.class,
                () -> new LoginCallbackHandler(login("alice", "secret"), null).handle(new Callback[] {other}));
        assertSame(other, e.getCallback());
    }
}
