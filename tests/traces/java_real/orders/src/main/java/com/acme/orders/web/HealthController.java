package com.acme.orders.web;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/** Liveness and readiness for the load balancer. */
@RestController
public class HealthController {
    @GetMapping({"/health", "/healthz"})
    public String health() {
        return "ok";
    }

    @RequestMapping(value = "/ready", method = RequestMethod.HEAD)
    public String ready() {
        return "";
    }
}
