package dev.switchboard.core.admin;

/** One method of one admin route. */
@FunctionalInterface
public interface Endpoint {

    /**
     * @param call the request
     * @return the answer
     */
    ApiResult handle(ApiCall call);
}
