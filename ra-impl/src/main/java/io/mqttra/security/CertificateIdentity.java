package io.mqttra.security;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * Which part of a client certificate's subject names the client: an attribute such as {@code CN}
 * (the default), {@code UID}, {@code OU}, {@code O} or {@code EMAILADDRESS} (also {@code E}), or
 * {@code DN} for the whole subject in its RFC 2253 form ({@link X500Principal#RFC2253}, e.g.
 * {@code CN=device-1,OU=sensors,O=ACME}). Case does not matter. When the subject has the attribute more
 * than once, the most specific one counts: the first in the RFC 2253 form.
 */
public final class CertificateIdentity {

    private static final String WHOLE_NAME = "DN";
    /** Attributes that X500Principal writes by name in RFC 2253 form. */
    private static final Set<String> RFC_2253_KEYWORDS = Set.of("CN", "C", "L", "ST", "O", "OU", "STREET", "DC", "UID");
    /** Others worth naming a client by, with their OIDs, so that their values come as text rather than as hex. */
    private static final Map<String, String> MORE_KEYWORDS = Map.of(
            "1.2.840.113549.1.9.1", "EMAILADDRESS",
            "2.5.4.5", "SERIALNUMBER",
            "2.5.4.12", "TITLE",
            "2.5.4.42", "GIVENNAME",
            "2.5.4.4", "SURNAME");
    private static final Map<String, String> ALIASES = Map.of("E", "EMAILADDRESS", "T", "TITLE");

    /** Declared after the tables above, which its constructor reads. */
    public static final CertificateIdentity COMMON_NAME = new CertificateIdentity("CN");

    private final String attribute;

    /**
     * @param attribute {@code DN} or an attribute type: {@code CN}, {@code UID}, {@code OU}, {@code O},
     *     {@code EMAILADDRESS} or {@code E}, {@code SERIALNUMBER}, {@code C}, {@code L}, {@code ST},
     *     {@code STREET}, {@code DC}, {@code TITLE}, {@code GIVENNAME}, {@code SURNAME}
     * @throws IllegalArgumentException for anything else, listing these
     */
    public CertificateIdentity(String attribute) {
        String upper = attribute == null ? "" : attribute.strip().toUpperCase(Locale.ROOT);
        upper = ALIASES.getOrDefault(upper, upper);
        if (!upper.equals(WHOLE_NAME) && !RFC_2253_KEYWORDS.contains(upper) && !MORE_KEYWORDS.containsValue(upper)) {
            Set<String> known = new TreeSet<>(RFC_2253_KEYWORDS);
            known.addAll(MORE_KEYWORDS.values());
            known.addAll(ALIASES.keySet());
            throw new IllegalArgumentException("'" + attribute + "' is not a subject attribute to name a client by: "
                    + "DN (the whole subject) or one of " + known);
        }
        this.attribute = upper;
    }

    /** The attribute type, or {@code DN}. */
    public String attribute() {
        return attribute;
    }

    /** The client's name from the certificate's subject; empty when the subject lacks the attribute or it is empty. */
    public Optional<String> nameOf(X509Certificate certificate) {
        X500Principal subject = certificate.getSubjectX500Principal();
        if (attribute.equals(WHOLE_NAME)) {
            return Optional.of(subject.getName(X500Principal.RFC2253)).filter(name -> !name.isEmpty());
        }
        try {
            List<Rdn> rdns = new LdapName(subject.getName(X500Principal.RFC2253, MORE_KEYWORDS)).getRdns();
            // LdapName lists the RDNs right to left, so the most specific is last
            for (int i = rdns.size() - 1; i >= 0; i--) {
                Attribute value = rdns.get(i).toAttributes().get(attribute);
                if (value != null) {
                    return value.get() instanceof String text && !text.isEmpty() ? Optional.of(text) : Optional.empty();
                }
            }
            return Optional.empty();
        } catch (NamingException e) {
            // not expected of a name X500Principal wrote; a subject that cannot be read names nobody
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return attribute.equals(WHOLE_NAME) ? "the certificate's subject" : "the " + attribute + " of the certificate's subject";
    }
}
