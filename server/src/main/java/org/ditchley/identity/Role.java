package org.ditchley.identity;

/** What an account may do (DESIGN "Who uses it"); the public is anyone not signed in. */
public enum Role {
    REGULATOR, OFFICER, DEVELOPER, DISTRIBUTOR, DEPLOYER, COMPUTE_PROVIDER, AUDITOR, PEER;

    /** The Spring Security authority for this role. */
    public String authority() {
        return "ROLE_" + name();
    }
}
