// Spring MVC on Kotlin, as the Spring Boot Kotlin tutorial writes controllers.
package com.acme.web

import org.springframework.web.bind.annotation.*

@RestController
@RequestMapping("/v2/users")
class UserController(private val service: UserService) {
    @GetMapping("/{id}")
    fun get(@PathVariable id: Long): String = service.find(id)

    @PostMapping
    fun create(@RequestBody body: String): String = body

    @RequestMapping(value = ["/search"], method = [RequestMethod.GET, RequestMethod.POST])
    fun search(): List<String> = emptyList()
}

class UserService {
    fun find(id: Long): String = id.toString()
}
