package dev.vouch.service;

/** Base of the failures the messaging service reports; each subclass names one, in one line. */
public class ServiceException extends Exception {
    public ServiceException(String message) {
        super(message);
    }

    public ServiceException(String message, Throwable cause) {
        super(message, cause);
    }
}
