use actix_web::{get, web, HttpResponse, Responder};

#[get("/orders/{id}")]
pub async fn get_order(path: web::Path<u32>) -> impl Responder {
    HttpResponse::Ok().body(path.into_inner().to_string())
}

async fn list_orders() -> impl Responder {
    HttpResponse::Ok().finish()
}

async fn create_order() -> impl Responder {
    HttpResponse::Created().finish()
}

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/orders")
            .route(web::get().to(list_orders))
            .route(web::post().to(create_order)),
    );
}
