package io.personalizeimport.lambdas.lane;

/**
 * A call a port made to a service failed, and the service said why. The lane catches it where a call is only made
 * early, such as a preflight or a job created before its execution starts: the same call is made again later, where
 * its failure is reported. The adapters' exceptions extend it with what kind of failure it was.
 */
public abstract class ServiceCallException extends RuntimeException {

    protected ServiceCallException(String message, Throwable cause) {
        super(message, cause);
    }
}
