/**
 * Faults the local servers inject into their answers, for testing how callers cope with errors and latency.
 *
 * <p>A {@link io.personalizeimport.local.faults.Fault} names an operation (or {@code *}), an error code with its HTTP
 * status and/or a latency, and either a count of requests or a probability per request. Each server holds a
 * {@link io.personalizeimport.local.faults.FaultInjector} that decides which request gets which fault and counts
 * what it injected; the server answers the fault in its own protocol (awsJson for the Personalize emulator, S3's XML
 * errors for LocalS3).
 */
package io.personalizeimport.local.faults;
