package com.acme.routes

import io.ktor.server.application.*
import io.ktor.server.response.*
import io.ktor.server.routing.*

fun Route.userRoutes() {
    route("/users") {
        get("{id?}") { call.respondText("user") }
        delete("{id}") { call.respondText("gone") }
    }
}
