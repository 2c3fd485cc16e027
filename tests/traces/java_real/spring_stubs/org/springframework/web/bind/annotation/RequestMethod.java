package org.springframework.web.bind.annotation;

/** Compile-time stand-in for the Spring enum. */
public enum RequestMethod {
    GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE
}
