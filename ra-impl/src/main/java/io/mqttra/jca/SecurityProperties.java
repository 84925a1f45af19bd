package io.mqttra.jca;

import io.mqttra.broker.BrokerConfig;

/**
 * The resource adapter's properties about logins and topic permissions, with their defaults: kept
 * apart from {@link ResourceAdapterProperties}, which extends this class, so that neither is a wall of
 * getters. {@link AdapterSecurity} checks them and builds the broker's security from them.
 */
public abstract class SecurityProperties {

    String authentication = "container";
    String jaasConfiguration = "mqtt-ra";
    String certificateUserName = "CN";
    Boolean certificatePasswordCheck = false;
    String aclFile = "";
    String aclRules = "";
    String sysTopicsRole = "mqtt-admin";
    Integer loginFailureDelayMillis = (int) BrokerConfig.DEFAULT_LOGIN_FAILURE_DELAY_MILLIS;
    Integer maxConcurrentLogins = 64;
    Boolean disconnectOnDeniedPublish = false;

    public String getAuthentication() {
        return authentication;
    }

    public void setAuthentication(String authentication) {
        this.authentication = authentication;
    }

    public String getJaasConfiguration() {
        return jaasConfiguration;
    }

    public void setJaasConfiguration(String jaasConfiguration) {
        this.jaasConfiguration = jaasConfiguration;
    }

    public String getCertificateUserName() {
        return certificateUserName;
    }

    public void setCertificateUserName(String certificateUserName) {
        this.certificateUserName = certificateUserName;
    }

    public Boolean getCertificatePasswordCheck() {
        return certificatePasswordCheck;
    }

    public void setCertificatePasswordCheck(Boolean certificatePasswordCheck) {
        this.certificatePasswordCheck = certificatePasswordCheck;
    }

    public String getAclFile() {
        return aclFile;
    }

    public void setAclFile(String aclFile) {
        this.aclFile = aclFile;
    }

    public String getAclRules() {
        return aclRules;
    }

    public void setAclRules(String aclRules) {
        this.aclRules = aclRules;
    }

    public String getSysTopicsRole() {
        return sysTopicsRole;
    }

    public void setSysTopicsRole(String sysTopicsRole) {
        this.sysTopicsRole = sysTopicsRole;
    }

    public Integer getLoginFailureDelayMillis() {
        return loginFailureDelayMillis;
    }

    public void setLoginFailureDelayMillis(Integer loginFailureDelayMillis) {
        this.loginFailureDelayMillis = loginFailureDelayMillis;
    }

    public Integer getMaxConcurrentLogins() {
        return maxConcurrentLogins;
    }

    public void setMaxConcurrentLogins(Integer maxConcurrentLogins) {
        this.maxConcurrentLogins = maxConcurrentLogins;
    }

    public Boolean getDisconnectOnDeniedPublish() {
        return disconnectOnDeniedPublish;
    }

    public void setDisconnectOnDeniedPublish(Boolean disconnectOnDeniedPublish) {
        this.disconnectOnDeniedPublish = disconnectOnDeniedPublish;
    }
}
