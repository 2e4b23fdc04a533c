package io.personalizeimport.lambdas.config;

/**
 * Where coalesced INCREMENTAL imports stage server-side copies of their files, so that a job reads exactly the files
 * it was given: a folder of the data bucket outside every routed prefix, emptied by a lifecycle rule.
 */
public final class Staging {

    /** The staging folder; a route's prefix may not overlap it. */
    public static final String PREFIX = "_staging/";
    /** Days after which the lifecycle rule deletes a staged copy; a job reads its copies within its deadline. */
    public static final int EXPIRATION_DAYS = 7;

    private Staging() {
    }
}
