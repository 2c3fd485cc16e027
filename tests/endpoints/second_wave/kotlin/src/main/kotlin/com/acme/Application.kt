// Ktor routing as the Ktor "Routing" guide shows it.
package com.acme

import com.acme.routes.userRoutes
import io.ktor.server.application.*
import io.ktor.server.response.*
import io.ktor.server.routing.*

fun Application.module() {
    routing {
        get("/") {
            call.respondText("Hello")
        }
        route("/api") {
            get("/health") { call.respondText("ok") }
            route("/orders") {
                get { call.respond(listOrders()) }
                post { call.respond(createOrder()) }
                get("{id}") { call.respond(findOrder(call.parameters["id"])) }
            }
            userRoutes()
        }
        get("/static/{...}") { call.respondText("file") }
    }
}

fun listOrders(): List<String> = emptyList()

fun createOrder(): String = "created"

fun findOrder(id: String?): String = id ?: ""
