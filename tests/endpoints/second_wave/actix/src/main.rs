// actix-web routing as the actix-web "Getting Started" and "URL Dispatch" guides show it.
use actix_web::{get, post, web, App, HttpResponse, HttpServer, Responder};

mod orders;

#[get("/")]
async fn hello() -> impl Responder {
    HttpResponse::Ok().body("Hello world!")
}

#[post("/echo")]
async fn echo(req_body: String) -> impl Responder {
    HttpResponse::Ok().body(req_body)
}

async fn manual_hello() -> impl Responder {
    HttpResponse::Ok().body("Hey there!")
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| {
        App::new()
            .service(hello)
            .service(echo)
            .service(
                web::scope("/api")
                    .service(orders::get_order)
                    .route("/ping", web::get().to(manual_hello))
                    .configure(orders::config),
            )
            .service(web::resource("/static/{tail:.*}").route(web::get().to(manual_hello)))
            .route("/hey", web::get().to(manual_hello))
    })
    .bind(("127.0.0.1", 8080))?
    .run()
    .await
}
