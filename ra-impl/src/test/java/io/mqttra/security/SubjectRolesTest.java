package io.mqttra.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Liberty's group ids name the realm before the group; the role is the group's name. */
class SubjectRolesTest {

    @Test
    void libertyGroupIdGivesTheGroupName() {
        assertEquals("mqtt-admin", SubjectRoles.groupName("group:MQTT-RA/mqtt-admin"));
        assertEquals("cn=ops,ou=groups,o=example", SubjectRoles.groupName("group:ldap.example.com:389/cn=ops,ou=groups,o=example"));
        assertEquals("operators", SubjectRoles.groupName("operators"));
    }
}
